package dev.canalboot.testsupport;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalHaAutoConfiguration;
import dev.canalboot.autoconfigure.CanalZooKeeperCheckpointAutoConfiguration;
import dev.canalboot.ha.Epoch;
import dev.canalboot.ha.HaCoordinator;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One consumer JVM of {@code dev.canalboot.ha.HaKillHarness}: a Spring Boot application with a binlog source under high
 * availability whose batch listener appends {@code epoch wallMillis id transaction ;} per row of table
 * {@code test.table} to this instance's log, fsync'd before it returns (so before the batch is acknowledged).
 * Configured by command-line properties (a DataSource when {@code test.jdbc-url} is given); runs until killed.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({CanalAutoConfiguration.class, CanalZooKeeperCheckpointAutoConfiguration.class,
        CanalHaAutoConfiguration.class})
public class HaConsumerMain {

    public static void main(String[] args) throws Exception {
        new SpringApplicationBuilder(HaConsumerMain.class).web(WebApplicationType.NONE).run(args);
        System.out.println("STARTED");
        Thread.currentThread().join(); // a standby has no container thread to keep the JVM alive
    }

    @Bean
    @ConditionalOnProperty("test.jdbc-url")
    DataSource dataSource(Environment env) {
        return new DriverManagerDataSource(env.getRequiredProperty("test.jdbc-url"),
                env.getRequiredProperty("test.jdbc-user"), env.getRequiredProperty("test.jdbc-password"));
    }

    @Bean
    Listener listener(Environment env, ObjectProvider<HaCoordinator> coordinator) throws IOException {
        return new Listener(Path.of(env.getRequiredProperty("test.log")), coordinator);
    }

    static final class Listener {

        private final FileChannel log;
        private final ObjectProvider<HaCoordinator> coordinator;

        Listener(Path file, ObjectProvider<HaCoordinator> coordinator) throws IOException {
            this.log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            this.coordinator = coordinator;
        }

        @CanalListener(table = "${test.table}")
        void onRows(List<RowChange> rows) throws IOException {
            long now = System.currentTimeMillis(); // first: the moment the container called the listener
            Epoch epoch = coordinator.getObject().getLeaderships().get("default").getEpoch();
            StringBuilder lines = new StringBuilder();
            for (RowChange row : rows) {
                String transaction = row.position().gtid() != null ? row.position().gtid() : row.position().file();
                lines.append(epoch == null ? -1 : epoch.value()).append(' ').append(now).append(' ')
                        .append(row.row().getLong("id")).append(' ').append(transaction).append(" ;\n");
            }
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                log.write(buffer);
            }
            log.force(false);
        }
    }
}
