package dev.canalboot.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-signed server certificate made with the JDK's keytool (no server started): PEM files a MySQL server
 * reads, a key that belongs to the certificate, made once per cache.
 */
class ServerCertificateTest {

    // One cache for the class: keytool makes the key pair once, as on a real machine
    @TempDir
    static Path root;

    private static String previousRoot;

    @BeforeAll
    static void useTemporaryCache() {
        previousRoot = System.getProperty(LocalCache.CACHE_DIR_PROPERTY);
        System.setProperty(LocalCache.CACHE_DIR_PROPERTY, root.toString());
    }

    @AfterAll
    static void restoreCache() {
        if (previousRoot == null) {
            System.clearProperty(LocalCache.CACHE_DIR_PROPERTY);
        } else {
            System.setProperty(LocalCache.CACHE_DIR_PROPERTY, previousRoot);
        }
    }

    @Test
    void theCertificateIsSelfSignedRsa2048ForTenYears() throws Exception {
        X509Certificate certificate = certificate(ServerCertificate.cached().certificate());

        certificate.verify(certificate.getPublicKey()); // signed by its own key: it is its own CA
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=canalboot embedded server");
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(3640, ChronoUnit.DAYS));
    }

    @Test
    void theKeyIsAPkcs8PemOfTheCertificatesKey() throws Exception {
        ServerCertificate files = ServerCertificate.cached();
        String pem = Files.readString(files.key());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));

        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update("canalboot".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate(files.certificate()).getPublicKey());
        verifier.update("canalboot".getBytes());
        assertThat(verifier.verify(signature)).as("the key signs what the certificate's key verifies").isTrue();
    }

    @Test
    void pemFilesHaveTheirLabelsAnd64CharacterLines() throws Exception {
        ServerCertificate files = ServerCertificate.cached();
        List<String> lines = Files.readAllLines(files.certificate());
        assertThat(lines.get(0)).isEqualTo("-----BEGIN CERTIFICATE-----");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("-----END CERTIFICATE-----");
        for (Path pem : List.of(files.certificate(), files.key())) {
            assertThat(Files.readAllLines(pem)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        }
    }

    @Test
    void isMadeOnceAndLeavesNoKeyStoreBehind() throws Exception {
        ServerCertificate first = ServerCertificate.cached();
        String certificate = Files.readString(first.certificate());
        ServerCertificate second = ServerCertificate.cached();

        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(second.certificate())).as("not made anew").isEqualTo(certificate);
        try (Stream<Path> files = Files.list(first.certificate().getParent())) {
            assertThat(files.map(file -> file.getFileName().toString())).doesNotContain("server.p12")
                    .contains("cert.pem", "key.pem");
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
