package dev.canalboot.binlog.protocol;

import java.nio.file.Path;

/**
 * TLS of a connection. Stores are read with {@link java.security.KeyStore} ({@code PKCS12} or {@code JKS}).
 *
 * @param trustStore certificates that sign the server's (VERIFY_CA, VERIFY_IDENTITY); null = the JDK's
 * @param keyStore   the client certificate and key, when the server requires one; null = none
 */
public record TlsSettings(TlsMode mode, Path trustStore, char[] trustStorePassword, String trustStoreType,
                          Path keyStore, char[] keyStorePassword, String keyStoreType) {

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

    @Override
    public String toString() {
        return "TlsSettings[" + mode + (trustStore == null ? "" : ", trust " + trustStore)
                + (keyStore == null ? "" : ", key " + keyStore) + "]";
    }
}
