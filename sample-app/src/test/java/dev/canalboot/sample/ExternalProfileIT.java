package dev.canalboot.sample;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.ChangeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The 'external' profile against a server the application did not start: configured only through DB_* values. */
class ExternalProfileIT {

    @TempDir
    Path checkpoints;

    @Test
    void externalProfileReadsAnExistingServerAndKeepsCheckpoints() throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.builder().initSql("CREATE DATABASE IF NOT EXISTS shop").start()) {
            DatabaseUser user = db.nativePasswordUser();
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class,
                    ExternalOrdersConfig.class)
                    .profiles("external")
                    .properties("DB_HOST=" + db.host(), "DB_PORT=" + db.port(), "DB_USER=" + user.name(),
                            "DB_PASSWORD=" + user.password(), "server.port=0", "sample.generator.interval=200ms")
                    // A command-line argument: it must win over the profile's own directory.
                    .run("--canal.checkpoint.file.directory=" + checkpoints)) {
                ExternalOrders orders = context.getBean(ExternalOrders.class);
                Order order = orders.inserted.poll(60, TimeUnit.SECONDS);
                assertThat(order).as("a generated order delivered within 60 s").isNotNull();
                assertThat(order.customer()).isNotBlank();
            }
            // The file checkpoint store of the profile saved where the source stopped.
            try (Stream<Path> files = Files.list(checkpoints)) {
                assertThat(files.map(file -> file.getFileName().toString())).contains("default.checkpoint");
            }
        }
    }

    static class ExternalOrders {
        final BlockingQueue<Order> inserted = new LinkedBlockingQueue<>();

        @CanalListener(table = "shop.orders", events = ChangeType.INSERT)
        void onInsert(Order order) {
            inserted.add(order);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ExternalOrdersConfig {
        @Bean
        ExternalOrders externalOrders() {
            return new ExternalOrders();
        }
    }
}
