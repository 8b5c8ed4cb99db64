package dev.canalboot.internal.binlog.protocol;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import javax.crypto.Cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthPluginsTest {

    static final byte[] SCRAMBLE = "abcdefghijklmnopqrst".getBytes();

    @Test
    void anUnsupportedPluginIsAnErrorNamingIt() {
        assertThatThrownBy(() -> AuthPlugins.scramble("auth_gssapi_client", "pw", SCRAMBLE))
                .isInstanceOf(MySqlProtocolException.class)
                .hasMessageContaining("'auth_gssapi_client'")
                .hasMessageContaining(AuthPlugins.CACHING_SHA2);
    }

    @Test
    void anAuthSwitchScrambleLosesItsTerminatorButAnEd25519NonceKeepsATrailingZero() {
        byte[] native20 = java.util.Arrays.copyOf(SCRAMBLE, 21); // 20 bytes + NUL
        assertThat(AuthPlugins.switchScramble(AuthPlugins.NATIVE, native20)).isEqualTo(SCRAMBLE);
        assertThat(AuthPlugins.switchScramble(AuthPlugins.CACHING_SHA2, native20)).isEqualTo(SCRAMBLE);
        byte[] nonce = new byte[32];
        for (int i = 0; i < 31; i++) {
            nonce[i] = (byte) (i + 1);
        }
        // a random nonce ends in 0x00 once in 256: it is data, not a terminator
        assertThat(AuthPlugins.switchScramble(AuthPlugins.ED25519, nonce)).isEqualTo(nonce).hasSize(32);
        assertThat(AuthPlugins.switchScramble(AuthPlugins.ED25519, java.util.Arrays.copyOf(nonce, 33)))
                .isEqualTo(nonce);
    }

    @Test
    void anEmptyPasswordSendsNoScramble() {
        assertThat(AuthPlugins.scramble(AuthPlugins.NATIVE, "", SCRAMBLE)).isEmpty();
        assertThat(AuthPlugins.scramble(AuthPlugins.CACHING_SHA2, null, SCRAMBLE)).isEmpty();
    }

    @Test
    void rsaFullAuthenticationDecryptsToThePasswordXorScramble() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        byte[] encrypted = AuthPlugins.rsaEncryptedPassword("secret", SCRAMBLE, pem);
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] plain = cipher.doFinal(encrypted);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= SCRAMBLE[i % 20];
        }
        assertThat(new String(plain)).isEqualTo("secret\0");
    }

    @Test
    void versionNumbersOfMySqlAndMariaDb() {
        assertThat(info("8.0.31").versionNumber()).isEqualTo(80031);
        assertThat(info("8.4.0-commercial").versionNumber()).isEqualTo(80400);
        assertThat(info("5.5.5-11.4.5-MariaDB-log").versionNumber()).isEqualTo(110405);
    }

    static ServerInfo info(String version) {
        return new ServerInfo("h:1", version, 1, version.contains("MariaDB"), 0, false, AuthPlugins.NATIVE, false);
    }
}
