package dev.canalboot.autoconfigure;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import java.util.Map;

/**
 * TLS of a Kafka client from a Spring Boot SSL bundle, as Spring Boot's own Kafka clients get it: the bundle object
 * in the configuration and Spring Boot's {@code SslBundleSslEngineFactory} (spring-boot-kafka) building the
 * connections' SSL engines from it.
 */
final class KafkaSslBundles {

    /** Spring Boot's engine factory, by name: the Kafka source works without spring-boot-kafka otherwise. */
    static final String ENGINE_FACTORY = "org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory";

    private KafkaSslBundles() {
    }

    /** Puts {@code bundle} into a kafka-clients configuration (no-op for {@code null}). */
    static void apply(Map<String, Object> config, SslBundle bundle) {
        if (bundle != null) {
            config.put("ssl.engine.factory.class", ENGINE_FACTORY);
            config.put(SslBundle.class.getName(), bundle);
        }
    }

    /**
     * Applies the bundle a source or relay names ({@code property}) over whatever TLS the configuration had, and
     * speaks TLS ({@code security.protocol=SSL}) unless the configuration already names a TLS protocol (SASL_SSL).
     *
     * @throws InvalidCanalConfigurationException when the bundle does not exist or spring-boot-kafka is missing
     */
    static void applyNamed(Map<String, Object> config, String bundleName, SslBundles bundles, String property) {
        if (bundleName == null || bundleName.isBlank()) {
            return;
        }
        if (!isPresent()) {
            throw new InvalidCanalConfigurationException(property, "SSL bundle '" + bundleName + "' needs Spring Boot's"
                    + " Kafka module (spring-boot-kafka), which is not on the class path.",
                    "Add spring-boot-starter-kafka, or give the kafka-clients ssl.* properties instead of " + property + ".");
        }
        apply(config, SslBundleLookup.find(bundles, bundleName, property));
        Object protocol = config.get("security.protocol");
        if (protocol == null || !String.valueOf(protocol).endsWith("SSL")) {
            config.put("security.protocol", "SSL");
        }
    }

    private static boolean isPresent() {
        try {
            Class.forName(ENGINE_FACTORY, false, KafkaSslBundles.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
