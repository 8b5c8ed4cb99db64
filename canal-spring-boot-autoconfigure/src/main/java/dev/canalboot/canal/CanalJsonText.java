package dev.canalboot.canal;

import dev.canalboot.internal.mysql.JsonDoubles;

/**
 * JSON text as Canal renders a JSON column, brought to what {@code SELECT} returns where that can be done without
 * guessing: Canal prints a double that needs an exponent as Java does ({@code 1.0E-7}, {@code 1.0E15}, Java 17's
 * extra digits), MySQL as {@code 0.0000001}, {@code 1e15}. A number with an exponent is always a double in
 * Canal's text (it prints decimals without one), so exactly those are rewritten; numbers without an exponent and
 * strings are left as they are.
 */
final class CanalJsonText {

    private CanalJsonText() {
    }

    static String asMySqlPrintsIt(String json) {
        if (json.indexOf('E') < 0) {
            return json; // no exponent anywhere, the common case
        }
        StringBuilder out = null;
        int copied = 0;
        int n = json.length();
        int i = 0;
        while (i < n) {
            char c = json.charAt(i);
            if (c == '"') {
                i = afterString(json, i + 1);
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int start = i;
                boolean exponent = false;
                while (i < n && isNumberChar(json.charAt(i))) {
                    exponent |= json.charAt(i) == 'E' || json.charAt(i) == 'e';
                    i++;
                }
                if (exponent) {
                    if (out == null) {
                        out = new StringBuilder(n + 16);
                    }
                    out.append(json, copied, start).append(JsonDoubles.text(Double.parseDouble(json.substring(start, i))));
                    copied = i;
                }
            } else {
                i++;
            }
        }
        return out == null ? json : out.append(json, copied, n).toString();
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'E' || c == 'e' || c == '-' || c == '+';
    }

    /** The index after the string whose contents start at {@code i}. */
    private static int afterString(String json, int i) {
        int n = json.length();
        while (i < n) {
            char c = json.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return n;
    }
}
