package dev.canalboot.autoconfigure;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka over TLS from Spring Boot SSL bundles: a KRaft broker in this JVM whose client listener speaks only TLS
 * (a self-signed certificate made with the JDK's keytool), a binlog source on MySQL 8.0.31 relaying to it and a
 * Kafka source of the same application reading the topic back, once with Spring Boot's own
 * {@code spring.kafka.ssl.bundle} and once with the relay's and the source's {@code ssl-bundle} alone. A client
 * without TLS does not get through (the control).
 */
class KafkaTlsIT {

    private static final String PASSWORD = "changeit-tls";

    @TempDir
    static Path keys;
    @TempDir
    Path checkpoints;

    static EmbeddedKafkaKraftBroker broker;
    static EmbeddedMySql db;
    static DatabaseUser user;
    static Path certificate;
    static Path trustStore;

    @BeforeAll
    static void tlsBroker() throws Exception {
        Path keyStore = keys.resolve("broker.p12");
        certificate = keys.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        trustStore = keys.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.ofEntries(
                // The test kit's client listener is EXTERNAL; the controller stays plain text inside this JVM.
                Map.entry("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:PLAINTEXT"),
                Map.entry("ssl.keystore.location", keyStore.toString()), Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.password", PASSWORD), Map.entry("ssl.key.password", PASSWORD),
                Map.entry("ssl.truststore.location", trustStore.toString()), Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.password", PASSWORD),
                Map.entry("offsets.topic.replication.factor", "1"), Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"), Map.entry("group.initial.rebalance.delay.ms", "0")));
        broker.afterPropertiesSet();
        db = TestServers.mysql();
        user = db.nativePasswordUser();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.destroy();
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    @Test
    void aClientWithoutTlsDoesNotGetThrough() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void springKafkasSslBundleCarriesTheRelayAndTheSource() throws Exception {
        roundTrip("tls_global", "spring.kafka.ssl.bundle=kafka", "spring.kafka.security.protocol=SSL");
    }

    @Test
    void theRelaysAndTheSourcesOwnBundlesCarryThem() throws Exception {
        roundTrip("tls_own", "canal.sources.bin.relay.ssl-bundle=kafka", "canal.sources.kfk.kafka.ssl-bundle=kafka");
    }

    private void roundTrip(String schema, String... tls) throws Exception {
        String topic = schema + "_" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                "security.protocol", "SSL", "ssl.truststore.location", trustStore.toString(),
                "ssl.truststore.type", "PKCS12", "ssl.truststore.password", PASSWORD))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        db.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        List<String> properties = new ArrayList<>(List.of(
                "canal.checkpoint.file.directory=" + checkpoints,
                "spring.ssl.bundle.pem.kafka.truststore.certificate=file:" + certificate,
                "canal.sources.bin.host=" + db.host(), "canal.sources.bin.port=" + db.port(),
                "canal.sources.bin.username=" + user.name(), "canal.sources.bin.password=" + user.password(),
                "canal.sources.bin.ssl.mode=disabled",
                "canal.sources.bin.relay.enabled=true", "canal.sources.bin.relay.topic=" + topic,
                "canal.sources.bin.relay.partitions=2", "canal.sources.bin.relay.send-timeout=30s",
                "canal.sources.kfk.type=kafka", "canal.sources.kfk.kafka.topics=" + topic,
                "canal.sources.kfk.kafka.group-id=g-" + topic,
                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString()));
        properties.addAll(List.of(tls));
        App.schema = schema;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(properties.toArray(String[]::new)).run()) {
            App app = context.getBean(App.class);
            db.execute("INSERT INTO " + schema + ".t VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                    "UPDATE " + schema + ".t SET v = 'z' WHERE id = 2");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((app.direct.size() < 4 || app.viaKafka.size() < 4) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(app.viaKafka).hasSize(4);
            assertThat(app.viaKafka.stream().map(r -> r.type() + " " + r.row().toMap()).sorted().toList())
                    .isEqualTo(app.direct.stream().map(r -> r.type() + " " + r.row().toMap()).sorted().toList());
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({SslAutoConfiguration.class, KafkaAutoConfiguration.class, CanalAutoConfiguration.class,
            CanalRelayAutoConfiguration.class, CanalKafkaAutoConfiguration.class})
    static class App {
        static volatile String schema;
        final List<RowChange> direct = new CopyOnWriteArrayList<>();
        final List<RowChange> viaKafka = new CopyOnWriteArrayList<>();

        @CanalListener(source = "bin", table = "tls_*.t")
        void direct(RowChange row) {
            if (row.schema().equals(schema)) {
                direct.add(row);
            }
        }

        @CanalListener(source = "kfk", table = "tls_*.t")
        void viaKafka(RowChange row) {
            if (row.schema().equals(schema)) {
                viaKafka.add(row);
            }
        }
    }
}
