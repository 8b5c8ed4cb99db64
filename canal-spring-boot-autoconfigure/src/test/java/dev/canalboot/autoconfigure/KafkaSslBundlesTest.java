package dev.canalboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Kafka client's TLS from a named Spring Boot SSL bundle, bundles built in memory. */
class KafkaSslBundlesTest {

    private static final String PROPERTY = "canal.relay.ssl-bundle";

    private final SslBundle kafka = SslBundle.of(SslStoreBundle.NONE);
    private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("kafka", kafka);

    @Test
    void theEngineFactoryNamedIsSpringBootsOwn() throws Exception {
        // The constant is a class name in a string: a rename in spring-boot-kafka would only show at run time.
        assertThat(Class.forName(KafkaSslBundles.ENGINE_FACTORY)).isNotNull();
    }

    @Test
    void applyPutsTheBundleAndTheEngineFactoryIntoTheConfiguration() {
        Map<String, Object> config = new HashMap<>();
        KafkaSslBundles.apply(config, kafka);
        assertThat(config).containsOnly(
                Map.entry("ssl.engine.factory.class", KafkaSslBundles.ENGINE_FACTORY),
                Map.entry(SslBundle.class.getName(), kafka));
    }

    @Test
    void applyWithoutABundleLeavesTheConfigurationAlone() {
        Map<String, Object> config = new HashMap<>(Map.of("security.protocol", "PLAINTEXT"));
        KafkaSslBundles.apply(config, null);
        assertThat(config).containsOnly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void aNamedBundleSwitchesAPlainConnectionToSsl() {
        Map<String, Object> config = new HashMap<>(Map.of("security.protocol", "PLAINTEXT",
                "ssl.engine.factory.class", "com.example.OldFactory"));
        KafkaSslBundles.applyNamed(config, " kafka ", bundles, PROPERTY);
        assertThat(config)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.engine.factory.class", KafkaSslBundles.ENGINE_FACTORY)
                .containsEntry(SslBundle.class.getName(), kafka);
    }

    @Test
    void aNamedBundleWithoutAProtocolSpeaksSsl() {
        Map<String, Object> config = new HashMap<>();
        KafkaSslBundles.applyNamed(config, "kafka", bundles, PROPERTY);
        assertThat(config).containsEntry("security.protocol", "SSL");
    }

    @Test
    void aTlsProtocolAlreadyConfiguredIsKept() {
        Map<String, Object> config = new HashMap<>(Map.of("security.protocol", "SASL_SSL"));
        KafkaSslBundles.applyNamed(config, "kafka", bundles, PROPERTY);
        assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry(SslBundle.class.getName(), kafka);
    }

    @Test
    void noBundleNameChangesNothing() {
        for (String name : new String[]{null, "", "  "}) {
            Map<String, Object> config = new HashMap<>(Map.of("security.protocol", "PLAINTEXT"));
            KafkaSslBundles.applyNamed(config, name, bundles, PROPERTY);
            assertThat(config).containsOnly(Map.entry("security.protocol", "PLAINTEXT"));
        }
    }

    @Test
    void anUnknownBundleNamesTheProperty() {
        Map<String, Object> config = new HashMap<>();
        assertThatThrownBy(() -> KafkaSslBundles.applyNamed(config, "nope", bundles, PROPERTY))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo(PROPERTY);
                    assertThat(e.getProblem()).isEqualTo("SSL bundle 'nope' does not exist.");
                });
        assertThat(config).isEmpty();
    }

    @Test
    void withoutSpringBootKafkaTheErrorSaysWhatToAdd() throws Exception {
        Method applyNamed = withoutSpringBootKafka().getDeclaredMethod("applyNamed", Map.class, String.class,
                SslBundles.class, String.class);
        applyNamed.setAccessible(true);
        Map<String, Object> config = new HashMap<>();

        assertThatThrownBy(() -> applyNamed.invoke(null, config, "kafka", bundles, PROPERTY))
                .isInstanceOf(InvocationTargetException.class)
                .cause()
                .satisfies(e -> assertThat(e.getClass().getName())
                        .isEqualTo(InvalidCanalConfigurationException.class.getName()))
                .hasMessageContaining("SSL bundle 'kafka' needs Spring Boot's Kafka module (spring-boot-kafka)")
                .hasMessageContaining("Add spring-boot-starter-kafka")
                .hasMessageContaining("ssl.* properties instead of " + PROPERTY);
        assertThat(config).isEmpty();
    }

    /** KafkaSslBundles loaded afresh by a class loader that cannot see Spring Boot's engine factory. */
    private static Class<?> withoutSpringBootKafka() throws ClassNotFoundException {
        ClassLoader parent = KafkaSslBundlesTest.class.getClassLoader();
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.equals(KafkaSslBundles.ENGINE_FACTORY)) {
                        throw new ClassNotFoundException(name);
                    }
                    if (!name.startsWith("dev.canalboot.autoconfigure.")) {
                        return super.loadClass(name, resolve);
                    }
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded != null) {
                        return loaded;
                    }
                    try (InputStream in = parent.getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            }
        };
        return Class.forName(KafkaSslBundles.class.getName(), true, loader);
    }
}
