package dev.canalboot.internal.binlog.protocol;

import javax.crypto.Cipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** The scrambles of the authentication plugins this client speaks. */
public final class AuthPlugins {

    public static final String NATIVE = "mysql_native_password";
    public static final String CACHING_SHA2 = "caching_sha2_password";
    public static final String CLEAR_TEXT = "mysql_clear_password";
    /** MariaDB's ed25519 plugin, client side. */
    public static final String ED25519 = "client_ed25519";

    /** caching_sha2_password "auth more data" status bytes. */
    public static final int FAST_AUTH_OK = 3;
    public static final int PERFORM_FULL_AUTH = 4;
    /** caching_sha2_password: the client asks for the server's RSA public key. */
    public static final int REQUEST_PUBLIC_KEY = 2;

    private AuthPlugins() {
    }

    /**
     * The scramble carried by an auth switch request's plugin data. The native and caching_sha2 plugins send
     * 20 bytes and a NUL terminator; {@code client_ed25519} sends exactly 32 random bytes and no terminator,
     * so its last byte may itself be zero (one login in 256) and must not be taken for one.
     */
    public static byte[] switchScramble(String plugin, byte[] data) {
        if (ED25519.equals(plugin)) {
            return data.length > 32 ? Arrays.copyOf(data, 32) : data;
        }
        return data.length > 0 && data[data.length - 1] == 0 ? Arrays.copyOf(data, data.length - 1) : data;
    }

    public static boolean isSupported(String plugin) {
        return NATIVE.equals(plugin) || CACHING_SHA2.equals(plugin) || CLEAR_TEXT.equals(plugin)
                || ED25519.equals(plugin);
    }

    /**
     * The first auth response of {@code plugin}. An empty password answers with empty data in every plugin.
     *
     * @throws MySqlProtocolException for a plugin this client does not speak, naming it
     */
    public static byte[] scramble(String plugin, String password, byte[] scramble) {
        if (!isSupported(plugin)) {
            throw new MySqlProtocolException("Server asks for authentication plugin '" + plugin
                    + "', which this client does not support (supported: " + NATIVE + ", " + CACHING_SHA2 + ", "
                    + CLEAR_TEXT + ", " + ED25519 + "); change the user's plugin, e.g. ALTER USER ... IDENTIFIED WITH "
                    + CACHING_SHA2);
        }
        if (ED25519.equals(plugin)) {
            // The server checks a signature of its 32-byte scramble, whatever the password.
            return Ed25519Password.sign(password == null ? "" : password, scramble);
        }
        if (password == null || password.isEmpty()) {
            return CLEAR_TEXT.equals(plugin) ? new byte[1] : new byte[0];
        }
        return switch (plugin) {
            case NATIVE -> nativePassword(password, scramble);
            case CACHING_SHA2 -> cachingSha2(password, scramble);
            default -> nulTerminated(password);
        };
    }

    /** SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). */
    public static byte[] nativePassword(String password, byte[] scramble) {
        MessageDigest sha1 = digest("SHA-1");
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(scramble, 0, 20);
        sha1.update(stage2);
        return xor(stage1, sha1.digest());
    }

    /** SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble). */
    public static byte[] cachingSha2(String password, byte[] scramble) {
        MessageDigest sha256 = digest("SHA-256");
        byte[] stage1 = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha256.digest(stage1);
        sha256.update(stage2);
        sha256.update(scramble, 0, 20);
        return xor(stage1, sha256.digest());
    }

    /** The password, NUL-terminated: what full authentication sends over TLS. */
    public static byte[] nulTerminated(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    /**
     * Full authentication without TLS: the NUL-terminated password XORed with the scramble (repeated),
     * encrypted with the server's RSA public key (PEM) using OAEP padding.
     */
    public static byte[] rsaEncryptedPassword(String password, byte[] scramble, String publicKeyPem) {
        byte[] plain = nulTerminated(password);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= scramble[i % 20];
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.ENCRYPT_MODE, parsePublicKey(publicKeyPem));
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new MySqlProtocolException("Cannot encrypt the password with the server's RSA public key: " + e);
        }
    }

    static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
