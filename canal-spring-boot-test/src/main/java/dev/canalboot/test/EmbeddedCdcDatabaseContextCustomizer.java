package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import dev.canalboot.test.EmbeddedCdcDatabases.Spec;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Starts (or reuses) the server of an {@link EmbeddedCdcDatabase}, points the properties at it and registers the
 * test beans. Equal annotations give equal customizers, so Spring's test context cache shares their contexts.
 */
final class EmbeddedCdcDatabaseContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "embeddedCdcDatabase";
    /** Where Spring Boot's test support puts {@code @SpringBootTest(properties = ...)}. */
    private static final String INLINED_TEST_PROPERTIES = "Inlined Test Properties";

    private final Spec spec;
    private final String[] initSql;
    private final String database;
    private final int streamingTimeoutSeconds;

    EmbeddedCdcDatabaseContextCustomizer(EmbeddedCdcDatabase annotation) {
        this.spec = new Spec(annotation.value(), annotation.gtid(), annotation.rowMetadata());
        this.initSql = annotation.initSql();
        this.database = annotation.database();
        this.streamingTimeoutSeconds = annotation.streamingTimeoutSeconds();
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        TestDatabase db = EmbeddedCdcDatabases.get(spec);
        if (initSql.length > 0) {
            db.server().execute(initSql);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("canal.source.host", db.host());
        properties.put("canal.source.port", db.port());
        properties.put("canal.source.username", db.username());
        properties.put("canal.source.password", db.password());
        properties.put("canal.checkpoint.store", "none");
        properties.put("spring.datasource.url", db.jdbcUrl(database.isEmpty() ? null : database));
        properties.put("spring.datasource.username", db.username());
        properties.put("spring.datasource.password", db.password());
        // Connector/J comes with canal-spring-boot-test and speaks to MariaDB too.
        properties.put("spring.datasource.driver-class-name", "com.mysql.cj.jdbc.Driver");
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, properties);
        if (sources.contains(INLINED_TEST_PROPERTIES)) {
            sources.addAfter(INLINED_TEST_PROPERTIES, source);
        } else {
            sources.addFirst(source);
        }
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        beanFactory.registerSingleton("embeddedCdcTestDatabase", db);
        RootBeanDefinition recorderIfMissing = new RootBeanDefinition(ChangeRecorderIfMissing.class);
        ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("embeddedCdcChangeRecorderIfMissing",
                recorderIfMissing);
        if (streamingTimeoutSeconds > 0) {
            SourcesStreaming awaiter = new SourcesStreaming(Duration.ofSeconds(streamingTimeoutSeconds));
            context.addApplicationListener(event -> {
                if (event instanceof ContextRefreshedEvent refreshed && refreshed.getApplicationContext() == context) {
                    awaiter.await(context);
                }
            });
        }
    }

    /**
     * Adds a {@link ChangeRecorder} once the application's and the test's own bean definitions are known, unless
     * they define one (e.g. {@code @Import(ChangeRecorder.class)}): two would make injecting it ambiguous.
     */
    static final class ChangeRecorderIfMissing implements BeanDefinitionRegistryPostProcessor, Ordered {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (((ListableBeanFactory) registry).getBeanNamesForType(ChangeRecorder.class, true, false).length == 0) {
                registry.registerBeanDefinition("embeddedCdcChangeRecorder", new RootBeanDefinition(ChangeRecorder.class));
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after the configuration classes were read
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof EmbeddedCdcDatabaseContextCustomizer other && spec.equals(other.spec)
                && Arrays.equals(initSql, other.initSql) && database.equals(other.database)
                && streamingTimeoutSeconds == other.streamingTimeoutSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, Arrays.hashCode(initSql), database, streamingTimeoutSeconds);
    }
}
