package dev.canalboot.binlog.tls;

import org.jspecify.annotations.Nullable;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;

/**
 * TLS of a connection. Stores are read with {@link java.security.KeyStore} ({@code PKCS12} or {@code JKS}), or
 * come ready as key and trust managers (a Spring Boot SSL bundle), which then take the stores' place.
 *
 * @param trustStore    certificates that sign the server's (VERIFY_CA, VERIFY_IDENTITY); null = the JDK's
 * @param keyStore      the client certificate and key, when the server requires one; null = none
 * @param trustManagers verifies the server's certificate in place of {@code trustStore}; null = none
 * @param keyManagers   presents the client certificate in place of {@code keyStore}; null = none
 */
public record TlsSettings(TlsMode mode, @Nullable Path trustStore, char @Nullable [] trustStorePassword,
                          @Nullable String trustStoreType, @Nullable Path keyStore, char @Nullable [] keyStorePassword,
                          @Nullable String keyStoreType, @Nullable TrustManagerFactory trustManagers,
                          @Nullable KeyManagerFactory keyManagers) {

    /** TLS from store files only. */
    public TlsSettings(TlsMode mode, @Nullable Path trustStore, char @Nullable [] trustStorePassword,
                       @Nullable String trustStoreType, @Nullable Path keyStore, char @Nullable [] keyStorePassword,
                       @Nullable String keyStoreType) {
        this(mode, trustStore, trustStorePassword, trustStoreType, keyStore, keyStorePassword, keyStoreType, null,
                null);
    }

    public static final TlsSettings DISABLED = of(TlsMode.DISABLED);
    public static final TlsSettings PREFERRED = of(TlsMode.PREFERRED);

    public static TlsSettings of(TlsMode mode) {
        return new TlsSettings(mode, null, null, null, null, null, null);
    }

    public TlsSettings withTrustStore(Path store, char[] password) {
        return new TlsSettings(mode, store, password, trustStoreType, keyStore, keyStorePassword, keyStoreType);
    }

    public TlsSettings withKeyStore(Path store, char[] password) {
        return new TlsSettings(mode, trustStore, trustStorePassword, trustStoreType, store, password, keyStoreType);
    }

    /** These settings with ready managers (e.g. from an SSL bundle) in place of the store files. */
    public TlsSettings withManagers(@Nullable TrustManagerFactory trust, @Nullable KeyManagerFactory keys) {
        return new TlsSettings(mode, null, null, null, null, null, null, trust, keys);
    }

    @Override
    public String toString() {
        return "TlsSettings[" + mode + (trustStore == null ? "" : ", trust " + trustStore)
                + (keyStore == null ? "" : ", key " + keyStore) + (trustManagers == null ? "" : ", trust managers")
                + (keyManagers == null ? "" : ", key managers") + "]";
    }
}
