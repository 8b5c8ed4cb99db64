package dev.canalboot.testsupport;

import dev.canalboot.embedded.DebianMySqlPackages;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.embedded.RowMetadata;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Servers shared by all test classes of a JVM: started on first use, one per configuration, stopped
 * by the launchers' JVM shutdown hook. Shared means: each test class works in its own schema.
 */
public final class TestServers {

    /** A MySQL configuration; servers with equal configurations are the same server. */
    public record MySqlConfig(boolean gtid, RowMetadata rowMetadata, boolean transactionCompression, boolean tls) {

        public static final MySqlConfig DEFAULT = new MySqlConfig(true, RowMetadata.FULL, false, false);

        public MySqlConfig withGtid(boolean gtid) {
            return new MySqlConfig(gtid, rowMetadata, transactionCompression, tls);
        }

        public MySqlConfig withRowMetadata(RowMetadata rowMetadata) {
            return new MySqlConfig(gtid, rowMetadata, transactionCompression, tls);
        }

        public MySqlConfig withTransactionCompression(boolean transactionCompression) {
            return new MySqlConfig(gtid, rowMetadata, transactionCompression, tls);
        }

        public MySqlConfig withTls(boolean tls) {
            return new MySqlConfig(gtid, rowMetadata, transactionCompression, tls);
        }
    }

    private static final Map<MySqlConfig, EmbeddedMySql> MYSQL = new ConcurrentHashMap<>();
    private static volatile EmbeddedMariaDb mariadb;
    private static volatile EmbeddedMySql newestMySql;
    private static volatile EmbeddedKafkaBroker kafka;

    private TestServers() {
    }

    /** MySQL 8 with GTIDs on, full row metadata, no compression, no TLS. */
    public static EmbeddedMySql mysql() {
        return mysql(MySqlConfig.DEFAULT);
    }

    public static EmbeddedMySql mysql(MySqlConfig config) {
        return MYSQL.computeIfAbsent(config, c -> EmbeddedMySql.builder()
                .gtid(c.gtid())
                .rowMetadata(c.rowMetadata())
                .transactionCompression(c.transactionCompression())
                .tls(c.tls())
                .start());
    }

    /**
     * The newest MySQL to be had here (8.4 or later: Debian unstable's, see {@link DebianMySqlPackages}) with
     * GTIDs on and full row metadata.
     */
    public static EmbeddedMySql newestMySql() {
        EmbeddedMySql server = newestMySql;
        if (server == null) {
            synchronized (TestServers.class) {
                if (newestMySql == null) {
                    newestMySql = EmbeddedMySql.builder().distribution(DebianMySqlPackages.distribution())
                            .gtid(true).rowMetadata(RowMetadata.FULL).start();
                }
                server = newestMySql;
            }
        }
        return server;
    }

    /** MariaDB 11.4 with full row metadata and annotated row events. */
    public static EmbeddedMariaDb mariadb() {
        EmbeddedMariaDb server = mariadb;
        if (server == null) {
            synchronized (TestServers.class) {
                if (mariadb == null) {
                    mariadb = EmbeddedMariaDb.builder().rowMetadata(RowMetadata.FULL).annotateRowEvents(true).start();
                }
                server = mariadb;
            }
        }
        return server;
    }

    /**
     * A single-node KRaft Kafka broker in this JVM (spring-kafka-test), started on first use and destroyed at JVM
     * exit; topics are the test classes' own. Its transaction and offsets topics need one replica only.
     */
    public static EmbeddedKafkaBroker kafka() {
        EmbeddedKafkaBroker broker = kafka;
        if (broker == null) {
            synchronized (TestServers.class) {
                if (kafka == null) {
                    EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
                    started.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                            "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                            "group.initial.rebalance.delay.ms", "0",
                            // Kill tests let a killed member's session end in seconds, not the default minimum of 6
                            "group.min.session.timeout.ms", "1000"));
                    started.afterPropertiesSet();
                    Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "kafka-test-broker-stop"));
                    kafka = started;
                }
                broker = kafka;
            }
        }
        return broker;
    }
}
