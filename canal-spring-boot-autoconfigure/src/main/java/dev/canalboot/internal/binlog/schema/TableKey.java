package dev.canalboot.internal.binlog.schema;

/** A table's schema and name exactly as the server spells them. */
record TableKey(String schema, String table) {

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
