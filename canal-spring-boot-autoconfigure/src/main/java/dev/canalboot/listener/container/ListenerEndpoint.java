package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One declared listener: which changes it wants and how it is called. Built at start-up from a
 * {@link dev.canalboot.listener.CanalListener} (or given by a {@code ListenerEndpointProvider}); immutable (apart
 * from a cache of the last table matched). It lives with the container, which delivers to it, so that the container
 * does not depend on the annotation model above it.
 */
public final class ListenerEndpoint {

    private final String id;
    private final String listener;
    private final List<TablePattern> tables;
    /** Tables not received even when {@link #tables} match them. */
    private final List<TablePattern> excluded;
    private final Set<ChangeType> events;
    /** {@link #events} by ordinal: checked for every row, where a set lookup through a view showed in profiles. */
    private final boolean[] accepted;
    private final String source;
    private final EndpointInvoker invoker;
    /**
     * The answer for the last table seen: rows of one table come in runs sharing one {@link TableSchema}, so
     * the patterns are matched once per run, not per row. An immutable pair in one field, safe to race on.
     */
    private TableMatch lastTable = new TableMatch(null, false);

    private record TableMatch(TableSchema table, boolean matches) {
    }

    /**
     * @param id       endpoint id
     * @param listener {@code bean#method} (or bean name), for messages
     * @param tables   at least one pattern
     * @param events   change types wanted; empty means all
     * @param source   declared source name; empty means the only source
     */
    public ListenerEndpoint(String id, String listener, List<TablePattern> tables, Set<ChangeType> events,
                            String source, EndpointInvoker invoker) {
        this(id, listener, tables, List.of(), events, source, invoker);
    }

    /**
     * @param excluded tables this endpoint does not receive although {@code tables} match them (rows and DDL
     *                 naming them)
     * @see #ListenerEndpoint(String, String, List, Set, String, EndpointInvoker)
     */
    public ListenerEndpoint(String id, String listener, List<TablePattern> tables, List<TablePattern> excluded,
                            Set<ChangeType> events, String source, EndpointInvoker invoker) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("@CanalListener " + listener + ": declares no table pattern");
        }
        this.id = id;
        this.listener = listener;
        this.tables = List.copyOf(tables);
        this.excluded = List.copyOf(excluded);
        this.events = Collections.unmodifiableSet(events.isEmpty() ? EnumSet.allOf(ChangeType.class) : EnumSet.copyOf(events));
        this.accepted = new boolean[ChangeType.values().length];
        this.events.forEach(type -> accepted[type.ordinal()] = true);
        this.source = source == null ? "" : source;
        this.invoker = invoker;
    }

    public String id() {
        return id;
    }

    /** The declaring {@code bean#method}, or the bean name of a class-level listener. */
    public String listener() {
        return listener;
    }

    /** The table patterns as declared (placeholders resolved). */
    public List<String> tables() {
        return tables.stream().map(TablePattern::toString).toList();
    }

    public Set<ChangeType> events() {
        return events;
    }

    /** The declared source name; empty for "the only source". */
    public String source() {
        return source;
    }

    public EndpointInvoker.Kind kind() {
        return invoker.kind();
    }

    public EndpointInvoker invoker() {
        return invoker;
    }

    /** Whether this listener receives {@code event}. */
    public boolean accepts(ChangeEvent event) {
        return switch (invoker.kind()) {
            case ROW, ROW_BATCH -> event instanceof RowChange row && accepted[row.type().ordinal()]
                    && matchesTable(row.tableSchema());
            case SCHEMA -> event instanceof SchemaChange ddl && matchesDdl(ddl);
            case TRANSACTION -> event instanceof TransactionBoundary;
        };
    }

    private boolean matchesTable(TableSchema table) {
        TableMatch last = lastTable;
        if (last.table() == table) {
            return last.matches();
        }
        boolean matches = matchesTable(table.schema(), table.table());
        lastTable = new TableMatch(table, matches);
        return matches;
    }

    private boolean matchesTable(String schema, String table) {
        for (int i = 0; i < excluded.size(); i++) {
            if (excluded.get(i).matches(schema, table)) {
                return false;
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).matches(schema, table)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesDdl(SchemaChange ddl) {
        if (ddl.schema() == null) {
            return false;
        }
        if (ddl.table() != null) {
            return matchesTable(ddl.schema(), ddl.table());
        }
        for (TablePattern pattern : tables) {
            if (pattern.matchesSchema(ddl.schema())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return id + " " + tables + " " + events + (source.isEmpty() ? "" : " source=" + source);
    }
}
