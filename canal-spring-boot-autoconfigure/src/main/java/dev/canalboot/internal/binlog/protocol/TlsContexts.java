package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Builds the client {@link SslHandler} for a {@link TlsSettings}. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslHandler newHandler(TlsSettings tls, ByteBufAllocator alloc, String host, int port) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (tls.mode() == TlsMode.PREFERRED || tls.mode() == TlsMode.REQUIRED) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (tls.trustManagers() != null) {
                builder.trustManager(tls.trustManagers());
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(tls.trustStore() == null ? null
                        : load(tls.trustStore(), tls.trustStorePassword(), tls.trustStoreType()));
                builder.trustManager(tmf);
            }
            if (tls.keyManagers() != null) {
                builder.keyManager(tls.keyManagers());
            } else if (tls.keyStore() != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType()), tls.keyStorePassword());
                builder.keyManager(kmf);
            }
            // Only VERIFY_IDENTITY checks the host name (the client default would check it in every mode).
            builder.endpointIdentificationAlgorithm(tls.mode() == TlsMode.VERIFY_IDENTITY ? "HTTPS" : null);
            SslContext context = builder.build();
            return context.newHandler(alloc, host, port);
        } catch (GeneralSecurityException | IOException e) {
            throw new MySqlProtocolException("Cannot set up TLS (" + tls + "): " + e);
        }
    }

    private static KeyStore load(Path path, char[] password, String type) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type != null ? type
                : path.toString().endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    static boolean isSslException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
