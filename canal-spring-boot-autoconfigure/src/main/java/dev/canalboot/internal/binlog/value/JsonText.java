package dev.canalboot.internal.binlog.value;


import dev.canalboot.internal.mysql.JsonDoubles;
import dev.canalboot.internal.mysql.MysqlType;

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

    /**
     * Appends the document as MySQL prints it while it is walked, as UTF-8 bytes: strings of the binary format
     * are copied a run at a time, escaping only what JSON needs escaped, and the text becomes a String once.
     */
    static final class Writer implements JsonBinary.Visitor {
        private byte[] buf;
        private int n;
        /** Whether every byte so far is ASCII (then the String is made without UTF-8 decoding). */
        private boolean ascii = true;
        private int depth;
        private boolean afterKey;

        Writer() {
            this(64);
        }

        /** {@code capacity}: the expected text length, so the buffer need not grow while the document is walked. */
        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(n + more, 2 * buf.length));
            }
        }

        private void put(char c) {
            ensure(1);
            buf[n++] = (byte) c;
        }

        /** Text that is ASCII by construction: numbers, literals, separators. */
        private void putAscii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[n++] = (byte) s.charAt(i);
            }
        }

        /** Before a key or a value: a comma unless it is the first of its container (just after its bracket). */
        private void separate() {
            if (afterKey) {
                afterKey = false;
            } else if (depth > 0) {
                byte last = buf[n - 1];
                if (last != '{' && last != '[') {
                    put(',');
                    put(' ');
                }
            }
        }

        private void open(char c) {
            separate();
            put(c);
            depth++;
        }

        /** UTF-8 bytes as a quoted JSON string: runs that need no escape are copied as they are. */
        private void quoted(byte[] data, int start, int length) {
            ensure(length + 2);
            buf[n++] = '"';
            int end = start + length;
            int run = start;
            for (int i = start; i < end; i++) {
                byte b = data[i];
                if (b < 0) {
                    ascii = false; // a byte of a multi-byte character: never one JSON escapes
                } else if (b < 0x20 || b == '"' || b == '\\') {
                    copy(data, run, i - run);
                    escape((char) b);
                    run = i + 1;
                }
            }
            copy(data, run, end - run);
            put('"');
        }

        private void quoted(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            quoted(utf8, 0, utf8.length);
        }

        private void copy(byte[] data, int from, int length) {
            ensure(length);
            System.arraycopy(data, from, buf, n, length);
            n += length;
        }

        private void escape(char c) {
            switch (c) {
                case '"' -> putAscii("\\\"");
                case '\\' -> putAscii("\\\\");
                case '\n' -> putAscii("\\n");
                case '\r' -> putAscii("\\r");
                case '\t' -> putAscii("\\t");
                case '\b' -> putAscii("\\b");
                case '\f' -> putAscii("\\f");
                default -> {
                    putAscii("\\u00");
                    put(HEX[c >> 4]);
                    put(HEX[c & 0xf]);
                }
            }
        }

        @Override
        public void beginObject() {
            open('{');
        }

        @Override
        public void key(String key) {
            separate();
            quoted(key);
            put(':');
            put(' ');
            afterKey = true;
        }

        @Override
        public void key(byte[] data, int start, int length) {
            separate();
            quoted(data, start, length);
            put(':');
            put(' ');
            afterKey = true;
        }

        @Override
        public void string(byte[] data, int start, int length) {
            separate();
            quoted(data, start, length);
        }

        @Override
        public void integer(long value) {
            separate();
            putAscii(Long.toString(value));
        }

        @Override
        public void endObject() {
            depth--;
            put('}');
        }

        @Override
        public void beginArray() {
            open('[');
        }

        @Override
        public void endArray() {
            depth--;
            put(']');
        }

        @Override
        public void scalar(Object value) {
            separate();
            if (value instanceof String s) {
                quoted(s);
            } else if (value instanceof JsonBinary.Opaque o) {
                quoted(o.text());
            } else if (value instanceof Double d) {
                putAscii(JsonDoubles.text(d));
            } else if (value instanceof BigDecimal d) {
                putAscii(d.toPlainString());
            } else {
                putAscii(String.valueOf(value)); // Long, BigInteger, Boolean, NULL
            }
        }

        @Override
        public String toString() {
            return new String(buf, 0, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
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
