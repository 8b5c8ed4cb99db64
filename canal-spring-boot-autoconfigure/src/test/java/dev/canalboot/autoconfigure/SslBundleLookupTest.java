package dev.canalboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SslBundleLookupTest {

    final SslBundle db = SslBundle.of(SslStoreBundle.NONE);
    final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("db", db);

    @Test
    void findsTheBundleTheNameSays() {
        assertThat(SslBundleLookup.find(bundles, " db ", "canal.source.ssl.bundle")).isSameAs(db);
    }

    @Test
    void anUnknownBundleNamesTheBundleAndTheProperty() {
        assertThatThrownBy(() -> SslBundleLookup.find(bundles, "nope", "canal.sources.kfk.kafka.ssl-bundle"))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.kfk.kafka.ssl-bundle");
                    assertThat(e.getProblem()).isEqualTo("SSL bundle 'nope' does not exist.");
                    assertThat(e.getAction()).contains("spring.ssl.bundle.pem.nope")
                            .contains("spring.ssl.bundle.jks.nope").contains("correct canal.sources.kfk.kafka.ssl-bundle");
                });
    }

    @Test
    void withoutAnyBundlesItSaysSo() {
        assertThatThrownBy(() -> SslBundleLookup.find(null, "db", "canal.source.ssl.bundle"))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.source.ssl.bundle");
                    assertThat(e.getProblem()).isEqualTo(
                            "SSL bundle 'db' does not exist: the application has no SSL bundles.");
                });
    }
}
