package dev.canalboot.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed server certificate and its key as PEM files, made once per machine with the JDK's
 * {@code keytool} and kept in the embedded-database cache. Being self-signed, the certificate is also the
 * CA a client trusts to verify the server.
 *
 * @param certificate PEM certificate ({@code --ssl-cert}, and the CA for clients)
 * @param key         PEM PKCS#8 private key ({@code --ssl-key})
 */
record ServerCertificate(Path certificate, Path key) {

    private static final String CACHE_NAME = "server-certificate-rsa2048";
    private static final String ALIAS = "server";
    private static final String STORE_PASSWORD = "canalboot";

    static ServerCertificate cached() {
        Path directory = LocalCache.directory(CACHE_NAME, ServerCertificate::generate);
        return new ServerCertificate(directory.resolve("cert.pem"), directory.resolve("key.pem"));
    }

    private static void generate(Path target) throws IOException {
        Path store = target.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("No keytool in the running JDK (" + keytool + ") to make a server certificate with");
        }
        ServerProcess.runToCompletion("Generating a self-signed server certificate", List.of(keytool.toString(),
                        "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                        "-dname", "CN=canalboot embedded server", "-storetype", "PKCS12", "-keystore", store.toString(),
                        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD),
                target.resolve("keytool.log"), Duration.ofMinutes(1));
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) keyStore.getKey(ALIAS, STORE_PASSWORD.toCharArray());
            Files.writeString(target.resolve("cert.pem"), pem("CERTIFICATE", keyStore.getCertificate(ALIAS).getEncoded()));
            Files.writeString(target.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("Could not read the key pair keytool wrote to " + store + ": " + e.getMessage(), e);
        }
        Files.delete(store);
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
