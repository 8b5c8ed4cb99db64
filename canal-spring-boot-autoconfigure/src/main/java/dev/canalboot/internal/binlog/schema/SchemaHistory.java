package dev.canalboot.internal.binlog.schema;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.event.DdlStatements;
import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.internal.mysql.MysqlCharsets;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.model.TableSchema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A binlog source's schema history: the definition of each table as of the position the decoder is at, so rows
 * written before a DDL are decoded with the shape they were written with, whatever the server's row metadata.
 * <ul>
 * <li>Seeded from the server at the first need of a run whose state does not hold a table: the present
 * definition (information_schema) is taken for every table that the binlog does not change between the stream's
 * position and its present end; a table it does change is unknown at that position.</li>
 * <li>Moved forward by every DDL the binlog carries ({@link DdlApplier}). A statement the parser does not
 * understand makes the tables it names unknown; an unknown table is read again from the server when nothing
 * later in the binlog changes it (then the present definition is the one at the stream's position), else rows for
 * it stop the source with the statement, its position and the way out. No row is decoded under a guessed shape.</li>
 * <li>A table map with column names (FULL metadata) wins: a disagreement is logged once and corrects the history.</li>
 * </ul>
 * The state at each transaction end is an immutable {@link SchemaState}: the source keeps it with the checkpoint.
 * Runs on the stream's event loop; not thread-safe apart from {@link #state()}.
 */
public final class SchemaHistory implements TableShapeResolver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaHistory.class);

    private final String sourceName;
    private final ServerCatalog catalog;
    private volatile SchemaState state = SchemaState.EMPTY;
    private String file;
    private long position;
    private final Set<TableKey> disagreementsLogged = new HashSet<>();

    public SchemaHistory(String sourceName, ServerCatalog catalog) {
        this.sourceName = sourceName;
        this.catalog = catalog;
    }

    /** The state at the position the decoder has reached (after the last event it passed). */
    public SchemaState state() {
        return state;
    }

    /**
     * Starts a run at a position whose state is {@code from} (a transaction end of an earlier run, or a stored
     * checkpoint's), or from nothing ({@code null}): then the server completes it at first need.
     */
    public void reset(SchemaState from) {
        state = from == null ? SchemaState.EMPTY : from;
    }

    @Override
    public void streamAt(String file, long position) {
        this.file = file;
        this.position = position;
    }

    @Override
    public List<ColumnShape> columns(String schema, String table) {
        seed();
        TableKey key = new TableKey(schema, table);
        TableDefinition d = state.tables.get(key);
        if (d == null && (state.unknown.containsKey(key) || catalog != null)) {
            // Unknown, or named nowhere in a complete state: created without being logged, or the state was
            // restored complete from a checkpoint. Either way only a proof lets the server's definition in.
            d = reread(key);
        }
        if (d == null) {
            return List.of();
        }
        List<ColumnShape> shapes = new ArrayList<>(d.columns().size());
        for (ColumnDefinition c : d.columns()) {
            shapes.add(new ColumnShape(c.name(), c.dataType(), c.columnType(), c.charset(), c.primaryKey()));
        }
        return shapes;
    }

    @Override
    public void invalidate(String schema, String table) {
        // DDL reaches the history through ddl(): nothing is cached apart from the state.
    }

    @Override
    public TableDefinition @Nullable [] ddl(String defaultSchema, String sql) {
        seed();
        SchemaState.Draft draft = state.draft();
        TableDefinition[] result = null;
        try {
            List<DdlApplier.Change> changes = DdlApplier.apply(draft, defaultSchema, sql, catalog != null && catalog.mariaDb());
            if (!changes.isEmpty()) {
                result = new TableDefinition[] {changes.get(0).before(), changes.get(0).after()};
            }
        } catch (UnparseableDdlException | DdlApplier.Unsupported e) {
            draft = state.draft();
            String what = e instanceof UnparseableDdlException ? "the DDL parser does not understand it ("
                    + e.getMessage() + ")" : e.getMessage();
            List<TableKey> named = new ArrayList<>();
            if (e instanceof DdlApplier.Unsupported u && u.table != null) {
                named.add(u.table);
            }
            for (String[] name : DdlStatements.tables(sql)) {
                String schema = name[0] != null ? name[0] : defaultSchema;
                if (schema != null) {
                    named.add(new TableKey(schema, name[1]));
                }
            }
            String reason = "the statement at " + where() + " could not be applied: " + what + ": "
                    + ServerCatalog.abbreviate(sql);
            for (TableKey key : named) {
                draft.markUnknown(key, reason);
            }
            if (!named.isEmpty()) {
                log.warn("Source {}: schema history: {}; table(s) {} are unknown until they can be read again from"
                        + " the server", sourceName, reason, named);
            }
        }
        state = draft.done();
        return result;
    }

    /**
     * A table map with names gives the columns by itself: the server is not asked here but at the first need (a
     * DDL, a table map without names), and {@link #seed} then completes what this took from the map. Seeding here
     * read the binlog from the stream's position to its end (SHOW BINLOG EVENTS) before the first row: most of a
     * consumer's time to its first row, and growing with its backlog.
     */
    @Override
    public void named(TableMapEvent map, TableSchema decoded) {
        TableKey key = new TableKey(map.schema(), map.table());
        TableDefinition known = state.tables.get(key);
        TableDefinition fromMap = definition(map, decoded, known);
        if (known != null && sameShape(known, fromMap)) {
            return;
        }
        if (known != null && disagreementsLogged.add(key)) {
            log.warn("Source {}: the table map at {} (FULL metadata) gives {} but the schema history had {};"
                    + " the history takes the table map's", sourceName, where(), fromMap.describe(), known.describe());
        }
        SchemaState.Draft d = state.draft();
        d.put(fromMap);
        state = d.done();
    }

    private static boolean sameShape(TableDefinition a, TableDefinition b) {
        if (a.columns().size() != b.columns().size()) {
            return false;
        }
        for (int i = 0; i < a.columns().size(); i++) {
            ColumnDefinition x = a.columns().get(i);
            ColumnDefinition y = b.columns().get(i);
            if (!x.name().equalsIgnoreCase(y.name()) || !family(x.dataType()).equals(family(y.dataType()))) {
                return false;
            }
        }
        return true;
    }

    /** Types that the binlog writes alike (names differ between information_schema and the table map). */
    private static String family(String dataType) {
        return switch (dataType) {
            case "integer" -> "int";
            case "numeric" -> "decimal";
            case "real" -> "double";
            case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "json" -> "blob";
            case "char", "binary" -> "char";
            case "varchar", "varbinary" -> "varchar";
            default -> dataType;
        };
    }

    /** A table map with names as a definition; the character sets it does not carry are kept from {@code known}. */
    private TableDefinition definition(TableMapEvent map, TableSchema decoded, TableDefinition known) {
        List<ColumnDefinition> columns = new ArrayList<>();
        TableMapEvent.OptionalMetadata opt = map.optional();
        for (int i = 0; i < decoded.columns().size(); i++) {
            Column c = decoded.columns().get(i);
            String dataType = c.type().name().toLowerCase(Locale.ROOT);
            StringBuilder columnType = new StringBuilder(dataType);
            if (c.length() > 0) {
                columnType.append('(').append(c.length()).append(')');
            }
            if (!c.elements().isEmpty()) {
                columnType.append('(');
                for (int k = 0; k < c.elements().size(); k++) {
                    columnType.append(k == 0 ? "" : ",").append('\'')
                            .append(c.elements().get(k).replace("\\", "\\\\").replace("'", "''")).append('\'');
                }
                columnType.append(')');
            }
            if (c.unsigned()) {
                columnType.append(" unsigned");
            }
            String charset = null;
            if (opt.collations() != null && i < opt.collations().length && opt.collations()[i] >= 0) {
                charset = MysqlCharsets.charsetName(opt.collations()[i]);
            } else if (known != null && i < known.columns().size()) {
                charset = known.columns().get(i).charset();
            }
            columns.add(new ColumnDefinition(c.name(), dataType, columnType.toString(), charset, c.primaryKey()));
        }
        return new TableDefinition(map.schema(), map.table(), columns, known == null ? null : known.charset());
    }

    /** Completes the state from the server: the present definitions of the tables the binlog does not change later. */
    private void seed() {
        if (state.seeded || catalog == null) {
            return;
        }
        if (file == null) {
            throw new BinlogDecodeException("schema history of source " + sourceName + ": the binlog file is not known yet");
        }
        ServerCatalog.Present present = catalog.present(null);
        ServerCatalog.LaterDdl later = catalog.laterDdl(file, position);
        SchemaState.Draft d = state.draft();
        int taken = 0;
        int unknown = 0;
        for (Map.Entry<TableKey, TableDefinition> e : present.tables().entrySet()) {
            if (d.exists(e.getKey())) {
                // the checkpoint's definition is the one at this position; one a table map gave before the seed
                // is completed as if the seed had come first
                TableDefinition mapped = d.tables.get(e.getKey());
                if (mapped != null && mapped.charset() == null && later.reason(e.getKey()) == null) {
                    d.tables.put(e.getKey(), completed(e.getKey(), mapped, e.getValue()));
                }
                continue;
            }
            String reason = later.reason(e.getKey());
            if (reason == null) {
                d.tables.put(e.getKey(), e.getValue());
                taken++;
            } else if (!Boolean.TRUE.equals(later.createdFirst().get(e.getKey()))) {
                d.unknown.put(e.getKey(), "its definition at " + where() + " cannot be read from the server: " + reason);
                unknown++;
            }
        }
        for (TableKey key : present.versioned()) {
            if (!d.exists(key)) {
                d.unknown.put(key, ServerCatalog.VERSIONED);
                unknown++;
            }
        }
        for (Map.Entry<TableKey, String> e : later.tables().entrySet()) {
            if (!d.exists(e.getKey()) && !present.tables().containsKey(e.getKey())
                    && !Boolean.TRUE.equals(later.createdFirst().get(e.getKey()))) {
                d.unknown.put(e.getKey(), "its definition at " + where() + " cannot be read from the server: " + e.getValue());
                unknown++;
            }
        }
        present.schemaCharsets().forEach(d.schemaCharsets::putIfAbsent);
        if (d.serverCharset == null) {
            d.serverCharset = present.serverCharset();
        }
        d.seeded = true;
        state = d.done();
        log.info("Source {}: schema history seeded at {}: {} table definitions from the server, {} unknown there"
                + " (changed later in the binlog)", sourceName, where(), taken, unknown);
    }

    /**
     * A definition a table map with names gave before the seed, as {@link #named} would have made it had the seed
     * come first: the server's when both agree on the columns, else the map's with the character sets the map
     * does not carry taken from the server's (the table's default; a column's when the map has none).
     */
    private TableDefinition completed(TableKey key, TableDefinition mapped, TableDefinition present) {
        if (sameShape(present, mapped)) {
            return present;
        }
        if (disagreementsLogged.add(key)) {
            log.warn("Source {}: a table map before {} (FULL metadata) gives {} but the server had {};"
                    + " the history takes the table map's", sourceName, where(), mapped.describe(), present.describe());
        }
        List<ColumnDefinition> columns = new ArrayList<>(mapped.columns().size());
        for (int i = 0; i < mapped.columns().size(); i++) {
            ColumnDefinition c = mapped.columns().get(i);
            String charset = c.charset() != null || i >= present.columns().size() ? c.charset()
                    : present.columns().get(i).charset();
            columns.add(new ColumnDefinition(c.name(), c.dataType(), c.columnType(), charset, c.primaryKey()));
        }
        return new TableDefinition(mapped.schema(), mapped.table(), columns, present.charset());
    }

    /**
     * Reads an unknown table again when that is provably right: nothing from the stream's position to the binlog's
     * present end changes it. Otherwise the rows cannot be decoded: the error names why and the ways out.
     */
    private TableDefinition reread(TableKey key) {
        String reason = state.unknown.containsKey(key) ? state.unknown.get(key)
                : "the schema history has no table " + key + " at this position (no logged DDL created it since the"
                + " history was seeded from the server)";
        if (catalog != null && file != null) {
            ServerCatalog.Present present = catalog.present(key);
            ServerCatalog.LaterDdl later = catalog.laterDdl(file, position);
            TableDefinition now = present.tables().get(key);
            if (now != null && later.reason(key) == null) {
                log.info("Source {}: schema history: {} read again from the server at {} (nothing later in the"
                        + " binlog changes it): {}", sourceName, key, where(), now.describe());
                SchemaState.Draft d = state.draft();
                d.put(now);
                state = d.done();
                return now;
            }
            if (present.versioned().contains(key)) {
                reason = reason.equals(ServerCatalog.VERSIONED) ? reason : reason + "; and " + ServerCatalog.VERSIONED;
            } else if (later.reason(key) != null) {
                reason = reason + "; and it cannot be read again from the server because " + later.reason(key);
            } else if (now == null) {
                reason = reason + "; and the server has no such table now";
            }
        }
        throw new BinlogDecodeException("the shape of table " + key + " at " + where() + " is not known, so its rows"
                + " cannot be decoded without column names in the table map: " + reason + ". Ways out: set"
                + " binlog_row_metadata=FULL on the server (table maps written from then on carry the names), or"
                + " delete the source's checkpoint and start it at a position after the statements named here"
                + " (rows of the table before that position are not delivered)");
    }

    private String where() {
        return (file == null ? "?" : file) + ":" + position;
    }

    @Override
    public void close() {
        if (catalog != null) {
            catalog.close();
        }
    }
}
