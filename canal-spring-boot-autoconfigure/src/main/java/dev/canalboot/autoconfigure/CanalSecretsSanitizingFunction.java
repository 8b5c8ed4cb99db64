package dev.canalboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks canal passwords in {@code /actuator/env} and {@code /actuator/configprops} in every form they reach the
 * environment, also with {@code show-values=always}:
 * <ol>
 * <li>every entry whose key binds to a {@code canal.*password} property under relaxed binding
 * ({@code CANAL_SOURCE_PASSWORD}, {@code CANAL_SOURCES_ORDERS_PASSWORD}, {@code canal.sources[orders].password},
 * {@code trustStorePassword}, ...);</li>
 * <li>every property a canal password takes its value from through a {@code ${...}} placeholder (in any spelling
 * that resolves it: {@code DB_PASSWORD}, {@code db.password}), followed through further placeholders, and every
 * value that refers to one of them through a placeholder;</li>
 * <li>every value equal to a canal password's resolved value, and {@code SPRING_APPLICATION_JSON} when it holds a
 * password;</li>
 * <li>in command lines ({@code sun.java.command}, {@code JAVA_TOOL_OPTIONS}, ...): the value of each
 * {@code --key=value} or {@code -Dkey=value} of such a key, and any occurrence of a canal password of four or more
 * characters, leaving the rest readable.</li>
 * </ol>
 */
final class CanalSecretsSanitizingFunction implements SanitizingFunction {

    private static final Pattern ASSIGNMENT = Pattern.compile("(?<=^|\\s)(--|-D)([^=\\s]+)=(\\S*)");
    private static final int SHORTEST_PASSWORD_SEARCHED = 4;

    private final ConfigurableEnvironment environment;

    CanalSecretsSanitizingFunction(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        Secrets secrets = secrets();
        String key = data.getKey();
        if (secrets.coversKey(key)) {
            return data.withSanitizedValue();
        }
        Object value = data.getValue();
        if (value == null) {
            return data;
        }
        String text = value.toString();
        if (secrets.values.contains(text) || refersToSecret(text, secrets)
                || (isApplicationJson(key) && text.toLowerCase(Locale.ROOT).contains("password"))) {
            return data.withSanitizedValue();
        }
        String masked = maskCommandLine(text, secrets);
        return masked.equals(text) ? data : data.withValue(masked);
    }

    /** Whether a key binds to a canal password property: {@code canal.} ... {@code password} in relaxed form. */
    static boolean isCanalPasswordKey(String key) {
        String relaxed = key.toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "")
                .replace('[', '.').replace("]", "");
        return relaxed.startsWith("canal.") && relaxed.endsWith("password");
    }

    /** One spelling for the names a placeholder resolves under: {@code db.password}, {@code DB_PASSWORD}. */
    static String canonical(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').replace("[", "_").replace("]", "");
    }

    private static boolean isApplicationJson(String key) {
        return canonical(key).equals("SPRING_APPLICATION_JSON");
    }

    /** The names canal passwords come from and the values they resolve to, as the environment holds them now. */
    private Secrets secrets() {
        Secrets secrets = new Secrets();
        Deque<String> placeholders = new ArrayDeque<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!isCanalPasswordKey(name)) {
                    continue;
                }
                Object raw = enumerable.getProperty(name);
                if (raw != null) {
                    placeholders.addAll(placeholderNames(raw.toString()));
                }
                String resolved = resolve(name);
                if (resolved != null && !resolved.isEmpty()) {
                    secrets.values.add(resolved);
                }
            }
        }
        // Follow placeholders through the properties they name: a=${b}, b=${DB_PASSWORD}
        while (!placeholders.isEmpty()) {
            String name = placeholders.pop();
            if (!secrets.names.add(canonical(name))) {
                continue;
            }
            for (PropertySource<?> source : environment.getPropertySources()) {
                Object raw = source instanceof EnumerablePropertySource<?> ? source.getProperty(name) : null;
                if (raw != null) {
                    placeholders.addAll(placeholderNames(raw.toString()));
                }
            }
        }
        return secrets;
    }

    private @Nullable String resolve(String name) {
        try {
            return environment.getProperty(name);
        } catch (RuntimeException e) {
            return null; // an unresolvable placeholder: nothing to look for
        }
    }

    /** The names in {@code ${name}} and {@code ${name:default}}, nested ones and those in defaults included. */
    static Set<String> placeholderNames(String text) {
        Set<String> names = new HashSet<>();
        int start = text.indexOf("${");
        while (start >= 0) {
            int depth = 1;
            int i = start + 2;
            while (i < text.length() && depth > 0) {
                if (text.startsWith("${", i)) {
                    depth++;
                    i += 2;
                } else {
                    if (text.charAt(i) == '}') {
                        depth--;
                    }
                    i++;
                }
            }
            String inner = text.substring(start + 2, depth == 0 ? i - 1 : text.length());
            int colon = topLevelColon(inner);
            String name = colon < 0 ? inner : inner.substring(0, colon);
            if (name.contains("${")) {
                names.addAll(placeholderNames(name)); // a name built from placeholders: the parts are sources too
            } else {
                names.add(name.trim());
            }
            if (colon >= 0) {
                names.addAll(placeholderNames(inner.substring(colon + 1))); // the default may be one too
            }
            start = text.indexOf("${", i);
        }
        names.remove("");
        return names;
    }

    private static int topLevelColon(String inner) {
        int depth = 0;
        for (int i = 0; i < inner.length(); i++) {
            if (inner.startsWith("${", i)) {
                depth++;
                i++;
            } else if (inner.charAt(i) == '}') {
                depth--;
            } else if (inner.charAt(i) == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean refersToSecret(String text, Secrets secrets) {
        if (!text.contains("${")) {
            return false;
        }
        for (String name : placeholderNames(text)) {
            if (secrets.coversKey(name)) {
                return true;
            }
        }
        return false;
    }

    private static String maskCommandLine(String text, Secrets secrets) {
        String masked = text;
        if (text.indexOf('=') >= 0) {
            Matcher m = ASSIGNMENT.matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String replacement = secrets.coversKey(m.group(2))
                        ? m.group(1) + m.group(2) + "=" + SanitizableData.SANITIZED_VALUE : m.group();
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            masked = sb.toString();
        }
        for (String secret : secrets.values) {
            if (secret.length() >= SHORTEST_PASSWORD_SEARCHED) {
                masked = masked.replace(secret, SanitizableData.SANITIZED_VALUE);
            }
        }
        return masked;
    }

    private static final class Secrets {
        /** Canonical names of the properties canal passwords take their values from. */
        final Set<String> names = new HashSet<>();
        /** The resolved canal passwords. */
        final Set<String> values = new HashSet<>();

        boolean coversKey(String key) {
            return isCanalPasswordKey(key) || names.contains(canonical(key));
        }
    }
}
