package dev.canalboot.internal.binlog.schema;

import java.util.Objects;

/** A table's schema and name exactly as the server spells them. */
record TableKey(String schema, String table) {

    /*
     * Written out rather than generated: a record's generated equals and hashCode are linked through
     * invokedynamic on their first call, which in a fresh JVM was a visible part of the time between the first
     * table map and the first row (benchmarks/PROFILE.md).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TableKey other && Objects.equals(schema, other.schema) && Objects.equals(table, other.table);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(schema) + Objects.hashCode(table);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
