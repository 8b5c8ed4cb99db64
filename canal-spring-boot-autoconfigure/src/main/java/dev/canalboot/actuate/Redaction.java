package dev.canalboot.actuate;

import java.util.regex.Pattern;

/**
 * Removes credentials from text shown by health, metrics and the actuator endpoint: user info in URLs
 * ({@code scheme://user:pass@host}) and {@code password=...}-style pairs, which can appear in error
 * messages of drivers and servers.
 */
public final class Redaction {

    public static final String MASK = "******";

    private static final Pattern URL_USER_INFO = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)\\b((?:password|passwd|pwd|secret|token|credentials?)\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&)]+)");

    private Redaction() {
    }

    /** {@code text} without credentials; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = URL_USER_INFO.matcher(text).replaceAll("$1");
        return SECRET_PAIR.matcher(result).replaceAll("$1" + MASK);
    }
}
