package dev.canalboot.actuate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
    public static @Nullable String redact(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = URL_USER_INFO.matcher(text).replaceAll("$1");
        Matcher m = SECRET_PAIR.matcher(result);
        StringBuilder out = new StringBuilder(result.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(
                    isPasswordUsedFlag(result, m) ? m.group() : m.group(1) + MASK));
        }
        return m.appendTail(out).toString();
    }

    /** MySQL's "Access denied ... (using password: YES)" says whether a password was sent, not which. */
    private static boolean isPasswordUsedFlag(String text, Matcher m) {
        String value = m.group(2);
        return ("YES".equalsIgnoreCase(value) || "NO".equalsIgnoreCase(value))
                && text.regionMatches(true, Math.max(0, m.start() - 6), "using ", 0, 6);
    }
}
