package dev.canalboot.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The partition of a row, as Canal's {@code canal.mq.partitionHash} chooses it. Rules {@code regex:col1^col2}
 * (hash of those columns' text), {@code regex:$pk$} (of the primary key) or {@code regex} alone (of the table
 * name), the regex case-insensitive over {@code schema.table}; the first matching rule counts; a table no rule
 * matches, and every DDL, goes to partition 0. A key hash starts from the database name's hash (when
 * {@code databaseHash}) and XORs the {@link String#hashCode()} of each key column's text (null as empty).
 */
public final class PartitionHash {

    /** How one table's rows are spread: by table, by these columns, or by its primary key ({@code columns} null). */
    public record Mode(boolean byTable, List<String> columns) {
    }

    private static final Mode NONE = new Mode(false, List.of());

    private record Rule(Pattern names, Mode mode) {
    }

    private final int partitions;
    private final boolean databaseHash;
    private final List<Rule> rules;
    private final Map<String, Mode> byTable = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException naming a rule that is not a valid regex, or partitions below 1 */
    public PartitionHash(int partitions, List<String> rules, boolean databaseHash) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        this.partitions = partitions;
        this.databaseHash = databaseHash;
        List<Rule> parsed = new ArrayList<>();
        for (String text : rules) {
            String rule = text.trim();
            if (rule.isEmpty()) {
                continue;
            }
            int colon = rule.lastIndexOf(':');
            String regex = colon > 0 ? rule.substring(0, colon).trim() : rule;
            Mode mode;
            if (colon < 0) {
                mode = new Mode(true, List.of());
            } else {
                String columns = rule.substring(colon + 1).trim();
                mode = columns.equals("$pk$") ? new Mode(false, null)
                        : new Mode(false, List.of(columns.split("\\^")));
            }
            try {
                parsed.add(new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), mode));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("partition-hash rule '" + text + "' is not a valid regex: "
                        + e.getDescription(), e);
            }
        }
        this.rules = List.copyOf(parsed);
    }

    public int partitions() {
        return partitions;
    }

    /** The mode of {@code schema.table}; one without columns and not by table means partition 0. */
    public Mode mode(String schema, String table) {
        return byTable.computeIfAbsent(schema + "." + table, name -> {
            for (Rule rule : rules) {
                if (rule.names.matcher(name).matches()) {
                    return rule.mode;
                }
            }
            return NONE;
        });
    }

    /**
     * The partition of one row.
     *
     * @param primaryKey the table's primary-key columns (for {@code $pk$})
     * @param row        column name → value text, as in the flat message
     */
    public int partition(String schema, String table, List<String> primaryKey, Map<String, String> row) {
        if (partitions == 1) {
            return 0;
        }
        Mode mode = mode(schema, table);
        if (mode.byTable()) {
            return bucket(table.hashCode());
        }
        if (mode == NONE) {
            return 0;
        }
        List<String> columns = mode.columns() != null ? mode.columns() : primaryKey != null ? primaryKey : List.of();
        int hash = databaseHash ? schema.hashCode() : 0;
        for (String column : columns) {
            String value = row.get(column);
            hash ^= (value == null ? "" : value).hashCode();
        }
        return bucket(hash);
    }

    private int bucket(int hash) {
        return Math.abs(Math.abs(hash) % partitions);
    }
}
