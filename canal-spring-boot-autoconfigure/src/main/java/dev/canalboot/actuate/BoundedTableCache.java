package dev.canalboot.actuate;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Per-table values (meters) for at most {@code maxTables} distinct tables; every further table shares
 * the value made for {@link #OTHER}. This bounds the tag cardinality a source with many tables can
 * cause. A lookup of a known table allocates nothing (two map reads on the strings the change holds).
 *
 * @param <T> what is kept per table
 */
public final class BoundedTableCache<T> {

    /** Tag value for tables beyond the limit. Real names are {@code schema.table}, so it cannot clash. */
    public static final String OTHER = "other";

    private final int maxTables;
    private final Function<String, T> factory;
    private final ConcurrentMap<String, ConcurrentMap<String, T>> bySchema = new ConcurrentHashMap<>();
    private final Object admission = new Object();
    /** Guarded by admission. */
    private int admitted;
    private volatile T other;

    /**
     * @param maxTables how many tables get their own value (0: all share {@link #OTHER})
     * @param factory   makes the value for a tag: {@code schema.table} or {@link #OTHER}
     */
    public BoundedTableCache(int maxTables, Function<String, T> factory) {
        if (maxTables < 0) {
            throw new IllegalArgumentException("maxTables must not be negative, was " + maxTables);
        }
        this.maxTables = maxTables;
        this.factory = factory;
    }

    public T get(String schema, String table) {
        ConcurrentMap<String, T> tables = bySchema.get(schema);
        if (tables != null) {
            T value = tables.get(table);
            if (value != null) {
                return value;
            }
        }
        return admit(schema, table);
    }

    private T admit(String schema, String table) {
        synchronized (admission) {
            ConcurrentMap<String, T> tables = bySchema.computeIfAbsent(schema, s -> new ConcurrentHashMap<>());
            T value = tables.get(table);
            if (value == null) {
                if (admitted < maxTables) {
                    admitted++;
                    value = factory.apply(schema + "." + table);
                } else {
                    value = other();
                }
                // Remember "other" tables too, so they cost no lock next time.
                tables.put(table, value);
            }
            return value;
        }
    }

    /** The shared value for tables beyond the limit. */
    public T other() {
        T value = other;
        if (value == null) {
            synchronized (admission) {
                value = other;
                if (value == null) {
                    value = factory.apply(OTHER);
                    other = value;
                }
            }
        }
        return value;
    }

    /** How many tables have a value of their own. */
    public int size() {
        synchronized (admission) {
            return admitted;
        }
    }
}
