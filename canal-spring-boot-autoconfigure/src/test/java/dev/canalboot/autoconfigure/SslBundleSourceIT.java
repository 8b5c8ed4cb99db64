package dev.canalboot.autoconfigure;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** TLS of a binlog source from a Spring Boot SSL bundle, against MySQL 8 with TLS on (verify-ca). */
class SslBundleSourceIT {

    static EmbeddedMySql server;
    static DatabaseUser user;

    @TempDir
    Path dir;

    @BeforeAll
    static void server() {
        server = TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withTls(true));
        user = server.nativePasswordUser();
    }

    private ApplicationContextRunner runner(Path caPem, String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, CanalAutoConfiguration.class))
                .withPropertyValues("canal.checkpoint.store=none",
                        "spring.ssl.bundle.pem.db.truststore.certificate=file:" + caPem,
                        "canal.source.host=" + server.host(), "canal.source.port=" + server.port(),
                        "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                        "canal.source.ssl.mode=verify-ca",
                        "canal.source.connect-timeout=5s")
                .withPropertyValues(properties);
    }

    @Test
    void theBundlesTrustMaterialVerifiesTheServer() {
        runner(server.caCertificate(), "canal.source.ssl.bundle=db").run(context -> {
            ChangeSource source = context.getBean("canalSource.default", ChangeSource.class);
            try {
                source.start();
                long guard = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (source.state() != SourceState.CONNECTED && System.nanoTime() < guard) {
                    source.poll(Duration.ofMillis(100));
                }
                assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
            } finally {
                source.close();
            }
        });
    }

    @Test
    void aBundleThatDoesNotSignTheServersCertificateFailsTheHandshake() throws Exception {
        runner(unrelatedCa(), "canal.source.ssl.bundle=db").run(context -> {
            ChangeSource source = context.getBean("canalSource.default", ChangeSource.class);
            try {
                SourceException error = null;
                try {
                    source.start();
                } catch (SourceException e) {
                    error = e;
                }
                assertThat(error).as("start fails: a refused handshake is not retried").isNotNull();
                assertThat(error.getMessage()).contains("TLS handshake").contains("VERIFY_CA");
                assertThat(source.state()).isEqualTo(SourceState.FAILED);
            } finally {
                source.close();
            }
        });
    }

    @Test
    void anUnknownBundleNamesTheKey() {
        runner(server.caCertificate(), "canal.source.ssl.bundle=nope").run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'canal.source.ssl.bundle'")
                    .contains("SSL bundle 'nope' does not exist");
            assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.nope");
        });
    }

    @Test
    void aBundleAndAStoreAtOnceAreRefused() {
        runner(server.caCertificate(), "canal.source.ssl.bundle=db", "canal.source.ssl.trust-store=/etc/trust.p12")
                .run(context -> assertThat(FailureAnalysisSupport.analyze(context.getStartupFailure())
                        .getDescription()).contains("'canal.source.ssl.bundle'").contains("at once"));
    }

    /** A CA certificate from the JDK's trust store: real, and not the one that signed the test server's. */
    private Path unrelatedCa() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security",
                "cacerts"))) {
            cacerts.load(in, null);
        }
        Certificate ca = cacerts.getCertificate(cacerts.aliases().nextElement());
        Path pem = dir.resolve("unrelated-ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return pem;
    }
}
