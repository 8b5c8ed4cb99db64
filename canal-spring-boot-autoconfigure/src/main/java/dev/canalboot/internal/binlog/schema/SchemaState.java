package dev.canalboot.internal.binlog.schema;

import dev.canalboot.model.TableDefinition;

import java.util.HashMap;
import java.util.Map;

/**
 * What the schema history knows at one binlog position; immutable, so a checkpoint can hold the state of its
 * position while the stream moves on.
 * <ul>
 * <li>{@code tables}: exact definitions;</li>
 * <li>{@code unknown}: tables whose definition at this position cannot be known (a statement the parser did not
 * understand, or a later change of the table when the history was seeded), with the reason;</li>
 * <li>{@code seeded}: whether the state is complete: every table the server had at this position is named above
 * (then a table named nowhere did not exist here, or was created without being logged). A state is complete once
 * seeded from the server, and stays so as it moves forward, since the decoder hands every DDL of the binlog to
 * the history ({@link DdlApplier} applies it, or the tables it names become unknown). The checkpoint keeps the
 * flag, so a restart from a complete state reads nothing from the server; a state without it (an older checkpoint)
 * is completed from the server at the first need, as far as that is provably right;</li>
 * </ul>
 */
public final class SchemaState {

    static final SchemaState EMPTY = new SchemaState(Map.of(), Map.of(), Map.of(), null, false);

    final Map<TableKey, TableDefinition> tables;
    final Map<TableKey, String> unknown;
    /** Default character set of each schema. */
    final Map<String, String> schemaCharsets;
    /** The server's default character set ({@code character_set_server}), or null when not read. */
    final String serverCharset;
    final boolean seeded;
    /** The encoded form, computed once (a checkpoint saves the same state many times). */
    private volatile String encoded;

    SchemaState(Map<TableKey, TableDefinition> tables, Map<TableKey, String> unknown, Map<String, String> schemaCharsets,
                String serverCharset, boolean seeded) {
        this.tables = tables;
        this.unknown = unknown;
        this.schemaCharsets = schemaCharsets;
        this.serverCharset = serverCharset;
        this.seeded = seeded;
    }

    TableDefinition table(TableKey key) {
        return tables.get(key);
    }

    /** The compact form a checkpoint keeps (see {@link SchemaStateCodec}). */
    public String encode() {
        String e = encoded;
        if (e == null) {
            e = SchemaStateCodec.encode(this);
            encoded = e;
        }
        return e;
    }

    /** A state read back from {@link #encode()}; not seeded. */
    public static SchemaState decode(String text) {
        return SchemaStateCodec.decode(text);
    }

    Draft draft() {
        return new Draft(this);
    }

    @Override
    public String toString() {
        return "SchemaState[" + tables.size() + " tables, " + unknown.size() + " unknown, seeded=" + seeded + "]";
    }

    /** A copy being changed, turned into a new state by {@link #done()}. */
    static final class Draft {
        final Map<TableKey, TableDefinition> tables;
        final Map<TableKey, String> unknown;
        final Map<String, String> schemaCharsets;
            String serverCharset;
        boolean seeded;

        Draft(SchemaState from) {
            tables = new HashMap<>(from.tables);
            unknown = new HashMap<>(from.unknown);
            schemaCharsets = new HashMap<>(from.schemaCharsets);
            serverCharset = from.serverCharset;
            seeded = from.seeded;
        }

        /** Whether the table exists here with a definition, exists with none known, or is not known at all. */
        boolean exists(TableKey key) {
            return tables.containsKey(key) || unknown.containsKey(key);
        }

        void put(TableDefinition definition) {
            TableKey key = new TableKey(definition.schema(), definition.table());
            tables.put(key, definition);
            unknown.remove(key);
        }

        void markUnknown(TableKey key, String reason) {
            tables.remove(key);
            unknown.put(key, reason);
        }

        void remove(TableKey key) {
            tables.remove(key);
            unknown.remove(key);
        }

        SchemaState done() {
            return new SchemaState(Map.copyOf(tables), Map.copyOf(unknown), Map.copyOf(schemaCharsets),
                    serverCharset, seeded);
        }
    }
}
