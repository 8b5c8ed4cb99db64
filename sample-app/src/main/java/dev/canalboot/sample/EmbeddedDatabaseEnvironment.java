package dev.canalboot.sample;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts an embedded MariaDB with the shop schema before the application context exists, and points the
 * binlog source and the DataSource at it, so that the sample runs with no setup. Off when
 * {@code sample.embedded-database.enabled=false} (the {@code external} and {@code canal-server} profiles).
 * The server is a bean of the context: it stops after the listener containers when the context closes.
 */
public class EmbeddedDatabaseEnvironment implements EnvironmentPostProcessor {

    static final String ENABLED_PROPERTY = "sample.embedded-database.enabled";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseEnvironment.class);

    /** The table the generator writes to. */
    static final String ORDERS_TABLE = "CREATE TABLE IF NOT EXISTS shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
            + "customer VARCHAR(64) NOT NULL, amount DECIMAL(10,2) NOT NULL, status ENUM('NEW','PAID','SHIPPED') NOT NULL, "
            + "created_at DATETIME(3) NOT NULL)";

    /** Run at every start of the server. */
    static final String[] SCHEMA = {"CREATE DATABASE IF NOT EXISTS shop", ORDERS_TABLE};

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED_PROPERTY, Boolean.class, true)) {
            return;
        }
        log.info("Starting an embedded MariaDB {} for the sample (set {}=false or use the 'external' profile "
                + "to use your own server)", EmbeddedMariaDb.VERSION, ENABLED_PROPERTY);
        EmbeddedMariaDb database = EmbeddedMariaDb.builder().initSql(SCHEMA).start();
        log.info("Embedded {} is up", database);
        DatabaseUser user = database.nativePasswordUser();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("canal.source.host", database.host());
        properties.put("canal.source.port", database.port());
        properties.put("canal.source.username", user.name());
        properties.put("canal.source.password", user.password());
        properties.put("spring.datasource.url", "jdbc:mariadb://" + database.host() + ":" + database.port() + "/shop");
        properties.put("spring.datasource.username", user.name());
        properties.put("spring.datasource.password", user.password());
        environment.getPropertySources().addFirst(new MapPropertySource("sampleEmbeddedDatabase", properties));
        application.addInitializers(context -> {
            if (context instanceof GenericApplicationContext generic) {
                // As a bean it is closed with the context, after the listener containers stopped.
                generic.registerBean("sampleEmbeddedDatabase", EmbeddedMariaDb.class, () -> database);
            }
        });
    }
}
