package dev.canalboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The one lookup of a Spring Boot SSL bundle a property names (a binlog source's {@code ssl.bundle}, a Kafka source's
 * {@code kafka.ssl-bundle}, the relay's {@code ssl-bundle}), failing start-up with an error that names the property.
 */
final class SslBundleLookup {

    private SslBundleLookup() {
    }

    /**
     * @param bundles    the application's SSL bundles; {@code null} when it has none
     * @param bundleName the bundle's name as configured
     * @param property   the property that names it, e.g. {@code canal.source.ssl.bundle}
     * @throws InvalidCanalConfigurationException naming {@code property} when there is no such bundle
     */
    static SslBundle find(@Nullable SslBundles bundles, String bundleName, String property) {
        String name = bundleName.trim();
        try {
            if (bundles == null) {
                throw new NoSuchSslBundleException(name, "the application has no SSL bundles");
            }
            return bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new InvalidCanalConfigurationException(property, "SSL bundle '" + name + "' does not exist"
                    + (bundles == null ? ": the application has no SSL bundles." : "."),
                    "Define it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name
                            + " (Spring Boot's SSL auto-configuration), or correct " + property + ".");
        }
    }
}
