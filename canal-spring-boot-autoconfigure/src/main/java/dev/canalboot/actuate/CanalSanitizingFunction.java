package dev.canalboot.actuate;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps credentials of {@code canal.*} properties out of {@code /actuator/configprops} and
 * {@code /actuator/env} even when values are shown: masks keys that name a secret and removes user info
 * from URLs.
 */
public class CanalSanitizingFunction implements SanitizingFunction {

    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(password|passwd|secret|credential|token|private-?key|key-?store-?password|passphrase).*");

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getLowerCaseKey();
        if (key == null || !key.startsWith("canal.")) {
            return data;
        }
        if (SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches()) {
            return data.withSanitizedValue();
        }
        if (data.getValue() instanceof CharSequence text) {
            String redacted = Redaction.redact(text.toString());
            if (!redacted.contentEquals(text)) {
                return data.withValue(redacted);
            }
        }
        return data;
    }
}
