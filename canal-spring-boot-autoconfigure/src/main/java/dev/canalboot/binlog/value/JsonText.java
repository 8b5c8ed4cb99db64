package dev.canalboot.binlog.value;


import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes a {@link JsonBinary} tree as MySQL prints JSON: {@code {"a": 1, "b": [true, null]}}. */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** A tree of {@link JsonBinary#parse} as text. */
    public static String write(Object tree) {
        Writer writer = new Writer();
        walk(tree, writer);
        return writer.toString();
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object value, JsonBinary.Visitor visitor) {
        if (value instanceof Map<?, ?> map) {
            visitor.beginObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                visitor.key(e.getKey());
                walk(e.getValue(), visitor);
            }
            visitor.endObject();
        } else if (value instanceof List<?> list) {
            visitor.beginArray();
            for (Object element : list) {
                walk(element, visitor);
            }
            visitor.endArray();
        } else {
            visitor.scalar(value);
        }
    }

    /** Appends the document as MySQL prints it while it is walked. */
    static final class Writer implements JsonBinary.Visitor {
        private final StringBuilder sb;

        Writer() {
            this(64);
        }

        /** {@code capacity}: the expected text length, so the builder need not grow while the document is walked. */
        Writer(int capacity) {
            sb = new StringBuilder(capacity);
        }
        private int depth;
        private boolean afterKey;

        /** Before a key or a value: a comma unless it is the first of its container (just after its bracket). */
        private void separate() {
            if (afterKey) {
                afterKey = false;
            } else if (depth > 0) {
                char last = sb.charAt(sb.length() - 1);
                if (last != '{' && last != '[') {
                    sb.append(", ");
                }
            }
        }

        private void open(char c) {
            separate();
            sb.append(c);
            depth++;
        }

        @Override
        public void beginObject() {
            open('{');
        }

        @Override
        public void key(String key) {
            separate();
            quoted(key, sb);
            sb.append(": ");
            afterKey = true;
        }

        @Override
        public void key(byte[] data, int start, int length) {
            separate();
            quotedUtf8(data, start, length, sb);
            sb.append(": ");
            afterKey = true;
        }

        @Override
        public void string(byte[] data, int start, int length) {
            separate();
            quotedUtf8(data, start, length, sb);
        }

        @Override
        public void integer(long value) {
            separate();
            sb.append(value);
        }

        @Override
        public void endObject() {
            depth--;
            sb.append('}');
        }

        @Override
        public void beginArray() {
            open('[');
        }

        @Override
        public void endArray() {
            depth--;
            sb.append(']');
        }

        @Override
        public void scalar(Object value) {
            separate();
            if (value instanceof String s) {
                quoted(s, sb);
            } else if (value instanceof JsonBinary.Opaque o) {
                quoted(o.text(), sb);
            } else if (value instanceof Double d) {
                sb.append(doubleText(d));
            } else if (value instanceof BigDecimal d) {
                sb.append(d.toPlainString());
            } else {
                sb.append(value); // Long, BigInteger, Boolean, NULL
            }
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /** Builds the tree {@link JsonBinary#parse} returns. */
    static final class TreeBuilder implements JsonBinary.Visitor {
        private final java.util.ArrayDeque<Object> open = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<String> keys = new java.util.ArrayDeque<>();
        private String pendingKey;
        private Object root;

        Object root() {
            return root;
        }

        @SuppressWarnings("unchecked")
        private void add(Object value) {
            Object parent = open.peek();
            if (parent == null) {
                root = value;
            } else if (parent instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).put(pendingKey, value);
            } else {
                ((List<Object>) parent).add(value);
            }
        }

        private void push(Object container) {
            add(container);
            keys.push(pendingKey == null ? "" : pendingKey);
            open.push(container);
        }

        @Override
        public void beginObject() {
            push(new java.util.LinkedHashMap<String, Object>());
        }

        @Override
        public void key(String key) {
            pendingKey = key;
        }

        @Override
        public void endObject() {
            open.pop();
            pendingKey = keys.pop();
        }

        @Override
        public void beginArray() {
            push(new java.util.ArrayList<>());
        }

        @Override
        public void endArray() {
            open.pop();
            pendingKey = keys.pop();
        }

        @Override
        public void scalar(Object value) {
            add(value);
        }
    }

    /** Java's shortest round-trip digits, with MySQL's lower-case exponent and no {@code .0} before it. */
    static String doubleText(double d) {
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        String exponent = s.substring(e + 1);
        return mantissa + "e" + exponent;
    }

    /** UTF-8 bytes as a quoted, escaped JSON string: ASCII straight from the bytes, other text via a String. */
    private static void quotedUtf8(byte[] data, int start, int length, StringBuilder sb) {
        int end = start + length;
        for (int i = start; i < end; i++) {
            if (data[i] < 0) {
                quoted(new String(data, start, length, StandardCharsets.UTF_8), sb);
                return;
            }
        }
        sb.append('"');
        for (int i = start; i < end; i++) {
            escaped((char) data[i], sb);
        }
        sb.append('"');
    }

    private static void quoted(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            escaped(s.charAt(i), sb);
        }
        sb.append('"');
    }

    private static void escaped(char c, StringBuilder sb) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            default -> {
                if (c < 0x20) {
                    sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    sb.append(c);
                }
            }
        }
    }

    /** A temporal opaque value (MySQL's packed int64 time format) as MySQL prints it inside JSON. */
    static String packedTemporal(int mysqlType, long packed) {
        boolean negative = packed < 0;
        long magnitude = Math.abs(packed);
        long micros = magnitude & 0xffffff;
        long intPart = magnitude >>> 24;
        StringBuilder sb = new StringBuilder(26);
        if (mysqlType == MysqlType.TIME) {
            long hms = intPart;
            if (negative) {
                sb.append('-');
            }
            pad(sb, (hms >>> 12) & 0x3ff, 2).append(':');
            pad(sb, (hms >>> 6) & 0x3f, 2).append(':');
            pad(sb, hms & 0x3f, 2).append('.');
            return pad(sb, micros, 6).toString();
        }
        long ymd = intPart >>> 17;
        long ym = ymd >>> 5;
        long hms = intPart & 0x1ffff;
        pad(sb, ym / 13, 4).append('-');
        pad(sb, ym % 13, 2).append('-');
        pad(sb, ymd & 0x1f, 2);
        if (mysqlType == MysqlType.DATE) {
            return sb.toString();
        }
        sb.append(' ');
        pad(sb, hms >>> 12, 2).append(':');
        pad(sb, (hms >>> 6) & 0x3f, 2).append(':');
        pad(sb, hms & 0x3f, 2).append('.');
        return pad(sb, micros, 6).toString();
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
