package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.event.WireReads;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the JSON diffs of a PARTIAL_UPDATE_ROWS_EVENT ({@code binlog_row_value_options=PARTIAL_JSON}) to the
 * before image. A diff is: operation (1 byte: 0 replace, 1 insert, 2 remove), path (length-encoded text),
 * then for replace and insert the new value (length-encoded binary JSON).
 */
public final class JsonDiff {

    private static final int REPLACE = 0;
    private static final int INSERT = 1;
    private static final int REMOVE = 2;

    /** MySQL stores object keys ordered by length, then bytes; printing follows that order. */
    private static final Comparator<String> KEY_ORDER = (a, b) -> {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i] & 0xff, y[i] & 0xff);
            }
        }
        return 0;
    };

    private JsonDiff() {
    }

    /** The document after applying every diff in {@code diffs} (all readable bytes) to {@code before}. */
    public static Object apply(Object before, ByteBuf diffs) {
        Object doc = before;
        while (diffs.isReadable()) {
            int operation = diffs.readUnsignedByte();
            String path = WireReads.readString(diffs, WireReads.readLenencLength(diffs, "JSON diff path"),
                    StandardCharsets.UTF_8, "JSON diff path");
            Object value = null;
            if (operation == REPLACE || operation == INSERT) {
                value = JsonBinary.parse(diffs.readSlice(WireReads.readLenencLength(diffs, "JSON diff value")));
            } else if (operation != REMOVE) {
                throw new BinlogDecodeException("unknown JSON diff operation " + operation);
            }
            doc = apply(doc, operation, parsePath(path), value, path);
        }
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static Object apply(Object doc, int operation, List<Object> legs, Object value, String path) {
        if (legs.isEmpty()) {
            if (operation == REPLACE) {
                return value;
            }
            throw new BinlogDecodeException("JSON diff cannot " + (operation == INSERT ? "insert" : "remove")
                    + " the whole document");
        }
        Object parent = doc;
        for (int i = 0; i < legs.size() - 1; i++) {
            parent = child(parent, legs.get(i), path);
        }
        Object last = legs.get(legs.size() - 1);
        if (last instanceof String key) {
            if (!(parent instanceof Map<?, ?>)) {
                throw new BinlogDecodeException("JSON diff path " + path + " names a member of a non-object");
            }
            Map<String, Object> map = (Map<String, Object>) parent;
            switch (operation) {
                case REPLACE -> requirePresent(map.replace(key, value) != null || map.containsKey(key), path);
                case INSERT -> {
                    map.put(key, value);
                    sortKeys(map);
                }
                default -> requirePresent(map.remove(key) != null, path);
            }
        } else {
            if (!(parent instanceof List<?>)) {
                throw new BinlogDecodeException("JSON diff path " + path + " indexes a non-array");
            }
            List<Object> list = (List<Object>) parent;
            int index = (Integer) last;
            if (index < 0) {
                throw new BinlogDecodeException("negative array index in JSON diff path " + path);
            }
            switch (operation) {
                case REPLACE -> {
                    requirePresent(index < list.size(), path);
                    list.set(index, value);
                }
                case INSERT -> list.add(Math.min(index, list.size()), value);
                default -> {
                    requirePresent(index < list.size(), path);
                    list.remove(index);
                }
            }
        }
        return doc;
    }

    private static Object child(Object parent, Object leg, String path) {
        Object child = null;
        if (leg instanceof String key && parent instanceof Map<?, ?> map) {
            child = map.get(key);
        } else if (leg instanceof Integer index && parent instanceof List<?> list && index < list.size()) {
            child = list.get(index);
        }
        requirePresent(child != null, path);
        return child;
    }

    private static void requirePresent(boolean present, String path) {
        if (!present) {
            throw new BinlogDecodeException("JSON diff path " + path + " does not exist in the before image");
        }
    }

    private static void sortKeys(Map<String, Object> map) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(map.entrySet());
        entries.sort(Map.Entry.comparingByKey(KEY_ORDER));
        Map<String, Object> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) {
            sorted.put(e.getKey(), e.getValue());
        }
        map.clear();
        map.putAll(sorted);
    }

    /** {@code $}, then {@code .key}, {@code ."quoted key"} or {@code [index]} legs. */
    static List<Object> parsePath(String path) {
        if (path.isEmpty() || path.charAt(0) != '$') {
            throw new BinlogDecodeException("JSON diff path '" + path + "' does not start with $");
        }
        List<Object> legs = new ArrayList<>();
        int i = 1;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
                if (i < n && path.charAt(i) == '"') {
                    StringBuilder key = new StringBuilder();
                    i++;
                    while (i < n && path.charAt(i) != '"') {
                        char k = path.charAt(i++);
                        if (k == '\\' && i < n) {
                            k = unescape(path, i);
                            i += path.charAt(i) == 'u' ? 5 : 1;
                        }
                        key.append(k);
                    }
                    if (i >= n) {
                        throw new BinlogDecodeException("unterminated key in JSON diff path '" + path + "'");
                    }
                    i++;
                    legs.add(key.toString());
                } else {
                    int start = i;
                    while (i < n && path.charAt(i) != '.' && path.charAt(i) != '[') {
                        i++;
                    }
                    legs.add(path.substring(start, i));
                }
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new BinlogDecodeException("unterminated index in JSON diff path '" + path + "'");
                }
                try {
                    legs.add(Integer.parseInt(path.substring(i + 1, close).trim()));
                } catch (NumberFormatException e) {
                    throw new BinlogDecodeException("bad array index in JSON diff path '" + path + "'", e);
                }
                i = close + 1;
            } else {
                throw new BinlogDecodeException("unexpected '" + c + "' in JSON diff path '" + path + "'");
            }
        }
        return legs;
    }

    private static char unescape(String path, int i) {
        char e = path.charAt(i);
        return switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'u' -> {
                if (i + 5 > path.length()) {
                    throw new BinlogDecodeException("bad escape in JSON diff path '" + path + "'");
                }
                try {
                    yield (char) Integer.parseInt(path.substring(i + 1, i + 5), 16);
                } catch (NumberFormatException ex) {
                    throw new BinlogDecodeException("bad escape in JSON diff path '" + path + "'", ex);
                }
            }
            default -> e;
        };
    }
}
