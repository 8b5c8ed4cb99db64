package dev.canalboot.snapshot;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a snapshot got, as of one stream position: saved with the source's checkpoint, so a restart resumes
 * at the last chunk delivered and acknowledged, never at the start of the table.
 *
 * @param tables  {@code schema.table} of the tables still to read, the one being read first
 * @param lastKey the SQL literals of the key of the last row delivered from the first table, or null when
 *                none was delivered yet
 * @param rowsDone rows of the first table delivered so far
 */
public record SnapshotProgress(List<String> tables, List<String> lastKey, long rowsDone) {

    /**
     * What an {@code initial-only} source's last checkpoint says: its snapshot is delivered and acknowledged (the
     * source stopped there). Decodes to no progress: a source in another mode streams on from that position.
     */
    public static final String DONE = "v1;done";

    public SnapshotProgress {
        tables = List.copyOf(tables);
        lastKey = lastKey == null ? null : List.copyOf(lastKey);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("A snapshot in progress has at least one table to read");
        }
    }

    public String currentTable() {
        return tables.get(0);
    }

    /** The progress once the chunk ending at {@code key} is delivered. */
    SnapshotProgress after(List<String> key, long rows) {
        return new SnapshotProgress(tables, key, rowsDone + rows);
    }

    /** The progress once the first table is done: null when it was the last one. */
    SnapshotProgress nextTable() {
        return tables.size() == 1 ? null : new SnapshotProgress(tables.subList(1, tables.size()), null, 0);
    }

    /** {@code v1;tables=a.b,c.d;key=lit,lit;rows=n}, each item URL-encoded: one line, readable in the stores. */
    public String encode() {
        StringBuilder sb = new StringBuilder("v1;tables=").append(join(tables));
        if (lastKey != null) {
            sb.append(";key=").append(join(lastKey));
        }
        return sb.append(";rows=").append(rowsDone).toString();
    }

    /** The progress {@link #encode} wrote; null for null and for {@link #DONE}. */
    public static SnapshotProgress decode(String text) {
        if (text == null || text.isBlank() || isDone(text)) {
            return null;
        }
        String[] parts = text.split(";");
        if (!"v1".equals(parts[0])) {
            throw new IllegalArgumentException("Snapshot progress '" + text + "' is not of version v1");
        }
        List<String> tables = null;
        List<String> key = null;
        long rows = 0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            switch (name) {
                case "tables" -> tables = split(value);
                case "key" -> key = split(value);
                case "rows" -> rows = Long.parseLong(value);
                default -> throw new IllegalArgumentException("Snapshot progress '" + text + "' has an unknown part '"
                        + name + "'");
            }
        }
        if (tables == null) {
            throw new IllegalArgumentException("Snapshot progress '" + text + "' names no tables");
        }
        return new SnapshotProgress(tables, key, rows);
    }

    /** Whether a checkpoint's snapshot text is {@link #DONE}. */
    public static boolean isDone(String text) {
        return DONE.equals(text);
    }

    private static String join(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String item : items) {
            sb.append(sb.isEmpty() ? "" : ",").append(URLEncoder.encode(item, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            items.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        return items;
    }

    @Override
    public String toString() {
        return encode();
    }
}
