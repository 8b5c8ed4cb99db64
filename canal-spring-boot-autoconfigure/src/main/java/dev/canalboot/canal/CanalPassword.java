package dev.canalboot.canal;

import org.jspecify.annotations.Nullable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The password a Canal client sends: MySQL 4.1 scramble {@code SHA1(pw) XOR SHA1(seed + SHA1(SHA1(pw)))} with
 * the handshake seeds, as a hex string. The server keeps {@code SHA1(SHA1(pw))} in hex ({@code canal.passwd})
 * and checks the scramble against it, so the clear password never travels.
 */
public final class CanalPassword {

    private CanalPassword() {
    }

    /** Hex text to put, UTF-8 encoded, in {@code ClientAuth.password}; empty for an empty password. */
    public static String scramble(@Nullable String password, byte[] seeds) {
        if (password == null || password.isEmpty()) {
            return "";
        }
        MessageDigest sha1 = sha1();
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(seeds);
        sha1.update(stage2);
        byte[] mask = sha1.digest();
        for (int i = 0; i < stage1.length; i++) {
            stage1[i] ^= mask[i];
        }
        return HexFormat.of().formatHex(stage1);
    }

    /** {@code SHA1(SHA1(pw))} in upper-case hex: the value for the server's {@code canal.passwd}. */
    public static String serverHash(String password) {
        MessageDigest sha1 = sha1();
        return HexFormat.of().withUpperCase().formatHex(sha1.digest(sha1.digest(password.getBytes(StandardCharsets.UTF_8))));
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
