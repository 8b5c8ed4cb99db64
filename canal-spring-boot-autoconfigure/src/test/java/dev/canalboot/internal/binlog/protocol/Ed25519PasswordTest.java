package dev.canalboot.internal.binlog.protocol;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Checked against the JDK's Ed25519: identical for 32-byte passwords, verifiable for any length. */
class Ed25519PasswordTest {

    static final byte[] SCRAMBLE = new byte[32];

    static {
        new Random(25519).nextBytes(SCRAMBLE);
    }

    @Test
    void aPasswordOf32BytesSignsExactlyAsTheJdkDoesWithItAsSeed() throws Exception {
        String password = "0123456789abcdef0123456789ABCDEF";
        KeyFactory keys = KeyFactory.getInstance("Ed25519");
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(keys.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519,
                password.getBytes(StandardCharsets.US_ASCII))));
        jdk.update(SCRAMBLE);
        assertThat(Ed25519Password.sign(password, SCRAMBLE)).isEqualTo(jdk.sign());
    }

    @Test
    void passwordsOfAnyLengthGiveSignaturesTheJdkVerifies() throws Exception {
        for (String password : new String[]{"x", "secret", "a much longer pass phrase with ünïcode, longer than 64 bytes in all"}) {
            Signature verify = Signature.getInstance("Ed25519");
            verify.initVerify(publicKey(Ed25519Password.publicKey(password)));
            verify.update(SCRAMBLE);
            assertThat(verify.verify(Ed25519Password.sign(password, SCRAMBLE))).as(password).isTrue();
            Signature wrong = Signature.getInstance("Ed25519");
            wrong.initVerify(publicKey(Ed25519Password.publicKey(password + "!")));
            wrong.update(SCRAMBLE);
            assertThat(wrong.verify(Ed25519Password.sign(password, SCRAMBLE))).isFalse();
        }
    }

    static PublicKey publicKey(byte[] encoded) throws Exception {
        boolean xOdd = (encoded[31] & 0x80) != 0;
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = encoded[31 - i];
        }
        bigEndian[0] &= 0x7F;
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                new EdECPoint(xOdd, new BigInteger(1, bigEndian))));
    }
}
