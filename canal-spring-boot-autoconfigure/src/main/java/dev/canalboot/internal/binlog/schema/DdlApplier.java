package dev.canalboot.internal.binlog.schema;

import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLDataType;
import com.alibaba.druid.sql.ast.SQLDataTypeImpl;
import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLName;
import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.expr.SQLCharExpr;
import com.alibaba.druid.sql.ast.statement.*;
import com.alibaba.druid.sql.dialect.mysql.ast.MySqlPrimaryKey;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableAlterColumn;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableChangeColumn;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableModifyColumn;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableOption;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlCreateTableStatement;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlRenameTableStatement;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies parsed DDL to a {@link SchemaState.Draft}: table definitions follow {@code CREATE/ALTER/DROP/RENAME/
 * TRUNCATE TABLE}, {@code CREATE TABLE ... LIKE}, database creation, charset changes and {@code DROP DATABASE}.
 * An ALTER clause this class does not know to leave columns alone makes the table unknown rather than guessed.
 */
final class DdlApplier {

    /** One table a statement changed: its key and definition before, and after (under its new key). */
    record Change(TableKey key, TableDefinition before, TableKey afterKey, TableDefinition after) {
    }

    /** A statement whose effect on a table cannot be worked out: the table becomes unknown. */
    static final class Unsupported extends RuntimeException {
        final TableKey table;

        Unsupported(TableKey table, String message) {
            super(message);
            this.table = table;
        }
    }

    private final SchemaState.Draft draft;
    private final String defaultSchema;
    private final boolean mariaDb;
    /** MariaDB IF [NOT] EXISTS on column clauses: what the condition made the server skip is skipped here too. */
    private final boolean conditional;
    final List<Change> changes = new ArrayList<>();

    private DdlApplier(SchemaState.Draft draft, String defaultSchema, boolean mariaDb, boolean conditional) {
        this.conditional = conditional;
        this.draft = draft;
        this.defaultSchema = defaultSchema;
        this.mariaDb = mariaDb;
    }

    /**
     * Applies {@code sql} to {@code draft}.
     *
     * @throws UnparseableDdlException when the parser does not understand it
     * @throws Unsupported             when a clause's effect on a table is not known here
     */
    static List<Change> apply(SchemaState.Draft draft, String defaultSchema, String sql, boolean mariaDb) {
        if (DdlParser.systemVersioning(sql)) {
            // The parser reads ADD SYSTEM VERSIONING as a column named SYSTEM: refuse before it can.
            throw new Unsupported(null, "it makes a table system-versioned (MariaDB), whose hidden row_start/row_end"
                    + " columns the schema history does not model");
        }
        DdlParser.Parsed parsed = DdlParser.parseDdl(sql);
        DdlApplier applier = new DdlApplier(draft, defaultSchema, mariaDb, parsed.conditional());
        for (SQLStatement statement : parsed.statements()) {
            applier.statement(statement);
        }
        return applier.changes;
    }

    private void statement(SQLStatement s) {
        if (s instanceof MySqlCreateTableStatement create) {
            create(create);
        } else if (s instanceof SQLAlterTableStatement alter) {
            alter(alter);
        } else if (s instanceof SQLDropTableStatement drop) {
            if (drop.isTemporary()) {
                return;
            }
            for (SQLExprTableSource source : drop.getTableSources()) {
                TableKey key = key(source);
                if (draft.exists(key)) {
                    changes.add(new Change(key, draft.tables.get(key), null, null));
                    draft.remove(key);
                }
            }
        } else if (s instanceof MySqlRenameTableStatement rename) {
            for (MySqlRenameTableStatement.Item item : rename.getItems()) {
                rename(key(item.getName()), key(item.getTo()));
            }
        } else if (s instanceof SQLTruncateStatement truncate) {
            for (SQLExprTableSource source : truncate.getTableSources()) {
                TableKey key = key(source);
                TableDefinition d = draft.tables.get(key);
                changes.add(new Change(key, d, key, d));
            }
        } else if (s instanceof SQLDropDatabaseStatement drop) {
            String schema = name(drop.getDatabase());
            for (TableKey key : new ArrayList<>(allKeys())) {
                if (key.schema().equals(schema)) {
                    changes.add(new Change(key, draft.tables.get(key), null, null));
                    draft.remove(key);
                }
            }
            draft.schemaCharsets.remove(schema);
        } else if (s instanceof SQLCreateDatabaseStatement create) {
            String schema = name(create.getName());
            String charset = charsetOf(create.getCharacterSet(), create.getCollate());
            if (!create.isIfNotExists() || !draft.schemaCharsets.containsKey(schema)) {
                draft.schemaCharsets.put(schema, charset != null ? charset : draft.serverCharset);
            }
        } else if (s instanceof SQLAlterDatabaseStatement alter) {
            String schema = alter.getName() == null ? defaultSchema : name(alter.getName());
            if (alter.getCharacter() != null) {
                String charset = charsetOf(alter.getCharacter().getCharacterSet(), alter.getCharacter().getCollate());
                if (charset != null && schema != null) {
                    draft.schemaCharsets.put(schema, charset);
                }
            }
        }
        // Views, routines, triggers, indexes, users, ...: no table's columns change.
    }

    private Set<TableKey> allKeys() {
        Set<TableKey> keys = new HashSet<>(draft.tables.keySet());
        keys.addAll(draft.unknown.keySet());
        return keys;
    }

    private void create(MySqlCreateTableStatement create) {
        if (create.isTemporary()) {
            return; // not logged in row format, and never the target of rows events here
        }
        TableKey key = key(create.getTableSource());
        boolean replace = create.isReplace();
        if (create.isIfNotExists() && draft.exists(key) && !replace) {
            return;
        }
        TableDefinition before = draft.tables.get(key);
        if (create.getLike() != null) {
            TableKey like = key(create.getLike());
            TableDefinition source = draft.tables.get(like);
            if (source == null) {
                String reason = draft.unknown.get(like);
                throw new Unsupported(key, "it was created LIKE " + like + ", whose definition is not known"
                        + (reason == null ? "" : " (" + reason + ")"));
            }
            TableDefinition copy = new TableDefinition(key.schema(), key.table(), source.columns(), source.charset());
            draft.put(copy);
            changes.add(new Change(key, before, key, copy));
            return;
        }
        if (create.getSelect() != null) {
            throw new Unsupported(key, "CREATE TABLE ... SELECT takes columns from a query");
        }
        String tableCharset = tableCharset(create.getTableOptions(), key.schema());
        List<ColumnDefinition> columns = new ArrayList<>();
        Set<String> primaryKey = new HashSet<>();
        for (SQLTableElement element : create.getTableElementList()) {
            if (element instanceof SQLColumnDefinition column) {
                columns.add(column(column, tableCharset, false));
                if (isPrimaryKey(column)) {
                    primaryKey.add(lower(name(column.getName())));
                }
            } else if (element instanceof MySqlPrimaryKey pk) {
                pk.getColumns().forEach(c -> primaryKey.add(lower(name(c.getExpr()))));
            } else if (element instanceof SQLPrimaryKey pk) {
                throw new Unsupported(key, "primary key clause " + pk + " is not understood");
            }
        }
        TableDefinition created = new TableDefinition(key.schema(), key.table(), withPrimaryKey(columns, primaryKey),
                tableCharset);
        draft.put(created);
        changes.add(new Change(key, before, key, created));
    }

    private void alter(SQLAlterTableStatement alter) {
        TableKey key = key(alter.getTableSource());
        TableDefinition before = draft.tables.get(key);
        if (before == null) {
            if (draft.unknown.containsKey(key)) {
                // Still unknown, possibly under a new name.
                for (SQLAlterTableItem item : alter.getItems()) {
                    if (item instanceof SQLAlterTableRename rename) {
                        TableKey to = key(rename.getTo());
                        draft.unknown.put(to, draft.unknown.remove(key));
                        key = to;
                    }
                }
                changes.add(new Change(key, null, key, null));
            }
            return; // a table the history does not hold (a system table)
        }
        List<ColumnDefinition> columns = new ArrayList<>(before.columns());
        String tableCharset = before.charset();
        TableKey target = key;
        for (TableOption option : optionsOf(alter)) {
            String charset = optionCharset(option.name, option.value);
            if (charset != null) {
                tableCharset = charset;
            }
        }
        for (SQLAlterTableItem item : alter.getItems()) {
            if (item instanceof SQLAlterTableAddColumn add) {
                int at = add.isFirst() ? 0 : add.getAfterColumn() != null ? indexOf(columns, name(add.getAfterColumn()), key) + 1
                        : add.getFirstColumn() != null ? 0 : columns.size();
                for (SQLColumnDefinition c : add.getColumns()) {
                    ColumnDefinition column = column(c, tableCharset, isPrimaryKey(c));
                    if ((add.isIfNotExists() || conditional) && find(columns, column.name()) >= 0) {
                        continue;
                    }
                    columns.add(at++, column);
                }
            } else if (item instanceof SQLAlterTableDropColumnItem drop) {
                for (SQLName column : drop.getColumns()) {
                    int i = find(columns, name(column));
                    if (i >= 0) {
                        columns.remove(i);
                    } else if (!drop.isIfExists() && !conditional) {
                        throw new Unsupported(key, "it drops column " + name(column) + " that the history does not"
                                + " have in " + before.describe());
                    }
                }
            } else if (item instanceof MySqlAlterTableModifyColumn modify) {
                SQLColumnDefinition c = modify.getNewColumnDefinition();
                if (conditional && find(columns, name(c.getName())) < 0) {
                    continue;
                }
                replace(columns, key, name(c.getName()), c, tableCharset, modify.isFirst(), modify.getAfterColumn());
            } else if (item instanceof MySqlAlterTableChangeColumn change) {
                if (conditional && find(columns, name(change.getColumnName())) < 0) {
                    continue;
                }
                replace(columns, key, name(change.getColumnName()), change.getNewColumnDefinition(), tableCharset,
                        change.isFirst(), change.getAfterColumn());
            } else if (item instanceof SQLAlterTableRenameColumn rename) {
                if (conditional && find(columns, name(rename.getColumn())) < 0) {
                    continue;
                }
                int i = indexOf(columns, name(rename.getColumn()), key);
                ColumnDefinition old = columns.get(i);
                columns.set(i, new ColumnDefinition(name(rename.getTo()), old.dataType(), old.columnType(),
                        old.charset(), old.primaryKey()));
            } else if (item instanceof SQLAlterTableRename rename) {
                target = key(rename.getTo());
            } else if (item instanceof SQLAlterTableConvertCharSet convert) {
                String charset = charsetOf(convert.getCharset(), convert.getCollate());
                if (charset == null) {
                    throw new Unsupported(key, "CONVERT TO CHARACTER SET names no character set here");
                }
                tableCharset = charset;
                columns.replaceAll(c -> isText(c.dataType()) ? convert(c, charset) : c);
            } else if (item instanceof SQLAlterTableAddConstraint addConstraint) {
                if (addConstraint.getConstraint() instanceof SQLPrimaryKey && addConstraint.getConstraint() instanceof SQLUnique pk) {
                    Set<String> names = new HashSet<>();
                    for (var c : pk.getColumns()) {
                        names.add(lower(name(c.getExpr())));
                    }
                    columns = new ArrayList<>(withPrimaryKey(columns, names));
                }
            } else if (item instanceof SQLAlterTableDropPrimaryKey) {
                columns.replaceAll(c -> new ColumnDefinition(c.name(), c.dataType(), c.columnType(), c.charset(), false));
            } else if (item instanceof SQLAlterTableAddIndex || item instanceof SQLAlterTableDropIndex
                    || item instanceof SQLAlterTableDropKey || item instanceof SQLAlterTableRenameIndex
                    || item instanceof MySqlAlterTableAlterColumn || item instanceof SQLAlterTableAlterColumn
                    || item instanceof MySqlAlterTableOption || item instanceof SQLAlterTableDropForeignKey
                    || item instanceof SQLAlterTableDropConstraint || item instanceof SQLAlterTableEnableKeys
                    || item instanceof SQLAlterTableDisableKeys || item instanceof SQLAlterTableAlterIndex
                    || item.getClass().getSimpleName().contains("Partition")
                    || item.getClass().getSimpleName().equals("MySqlAlterTableForce")
                    || item.getClass().getSimpleName().equals("MySqlAlterTableLock")
                    || item.getClass().getSimpleName().equals("MySqlAlterTableAlgorithm")
                    || item.getClass().getSimpleName().equals("MySqlAlterTableOrderBy")) {
                // indexes, keys, defaults, options, partitions, algorithm/lock: columns stay as they are
            } else {
                throw new Unsupported(key, "its clause " + item + " (" + item.getClass().getSimpleName()
                        + ") is not understood by the schema history");
            }
        }
        TableDefinition after = new TableDefinition(target.schema(), target.table(), columns, tableCharset);
        if (!target.equals(key)) {
            draft.remove(key);
        }
        draft.put(after);
        changes.add(new Change(key, before, target, after));
    }

    /** Table options of an ALTER (DEFAULT CHARSET=..., COLLATE ...), whichever way the parser holds them. */
    private record TableOption(String name, SQLExpr value) {
    }

    private static List<TableOption> optionsOf(SQLAlterTableStatement alter) {
        List<TableOption> options = new ArrayList<>();
        for (SQLAssignItem item : alter.getTableOptions()) {
            options.add(new TableOption(String.valueOf(item.getTarget()), item.getValue()));
        }
        for (SQLAlterTableItem item : alter.getItems()) {
            if (item instanceof MySqlAlterTableOption option) {
                options.add(new TableOption(option.getName(), option.getValue() instanceof SQLExpr e ? e : null));
            }
        }
        return options;
    }

    private void rename(TableKey from, TableKey to) {
        TableDefinition d = draft.tables.get(from);
        if (d != null) {
            TableDefinition renamed = new TableDefinition(to.schema(), to.table(), d.columns(), d.charset());
            draft.remove(from);
            draft.put(renamed);
            changes.add(new Change(from, d, to, renamed));
        } else if (draft.unknown.containsKey(from)) {
            draft.unknown.put(to, draft.unknown.remove(from));
            draft.tables.remove(to);
            changes.add(new Change(from, null, to, null));
        }
    }

    private void replace(List<ColumnDefinition> columns, TableKey key, String oldName, SQLColumnDefinition c,
                         String tableCharset, boolean first, SQLName after) {
        int i = indexOf(columns, oldName, key);
        ColumnDefinition old = columns.remove(i);
        ColumnDefinition column = column(c, tableCharset, old.primaryKey() || isPrimaryKey(c));
        int at = first ? 0 : after != null ? indexOf(columns, name(after), key) + 1 : i;
        columns.add(at, column);
    }

    private static int find(List<ColumnDefinition> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i; // column names are case-insensitive
            }
        }
        return -1;
    }

    private static int indexOf(List<ColumnDefinition> columns, String name, TableKey key) {
        int i = find(columns, name);
        if (i < 0) {
            throw new Unsupported(key, "it names column " + name + " that the history does not have ("
                    + columns.stream().map(ColumnDefinition::name).toList() + ")");
        }
        return i;
    }

    private static List<ColumnDefinition> withPrimaryKey(List<ColumnDefinition> columns, Set<String> primaryKey) {
        if (primaryKey.isEmpty()) {
            return columns;
        }
        List<ColumnDefinition> out = new ArrayList<>(columns.size());
        for (ColumnDefinition c : columns) {
            out.add(new ColumnDefinition(c.name(), c.dataType(), c.columnType(), c.charset(),
                    primaryKey.contains(lower(c.name()))));
        }
        return out;
    }

    private static boolean isPrimaryKey(SQLColumnDefinition column) {
        if (column.isPrimaryKey()) {
            return true;
        }
        for (SQLColumnConstraint constraint : column.getConstraints()) {
            if (constraint instanceof SQLColumnPrimaryKey) {
                return true;
            }
        }
        return false;
    }

    /** One column as information_schema would describe it. */
    private ColumnDefinition column(SQLColumnDefinition c, String tableCharset, boolean primaryKey) {
        String name = name(c.getName());
        SQLDataType type = c.getDataType();
        String raw = type.getName().toLowerCase(Locale.ROOT).trim();
        List<String> args = new ArrayList<>();
        for (SQLExpr arg : type.getArguments()) {
            args.add(arg.toString());
        }
        boolean unsigned = type instanceof SQLDataTypeImpl impl && impl.isUnsigned();
        boolean zerofill = type instanceof SQLDataTypeImpl impl2 && impl2.isZerofill();
        String charsetName = null;
        String collate = null;
        if (type instanceof SQLCharacterDataType ch) {
            charsetName = ch.getCharSetName();
            collate = ch.getCollate();
        }
        if (collate == null && c.getCollateExpr() != null) {
            collate = c.getCollateExpr().toString();
        }
        String dataType = switch (raw) {
            case "integer", "int4" -> "int";
            case "int1" -> "tinyint";
            case "int2" -> "smallint";
            case "int3", "middleint" -> "mediumint";
            case "int8" -> "bigint";
            case "bool", "boolean" -> "tinyint";
            case "dec", "fixed", "numeric" -> "decimal";
            case "real", "double precision", "float8" -> "double";
            case "float4" -> "float";
            case "character", "nchar", "national char", "national character" -> "char";
            case "character varying", "nvarchar", "national varchar", "national character varying",
                 "nchar varchar", "varcharacter" -> "varchar";
            case "long", "long varchar" -> "mediumtext";
            case "long varbinary" -> "mediumblob";
            case "serial" -> "bigint";
            default -> raw;
        };
        if (raw.equals("serial")) {
            unsigned = true;
        }
        if (raw.startsWith("n") && (dataType.equals("char") || dataType.equals("varchar")) || raw.startsWith("national")) {
            charsetName = "utf8mb3";
        }
        if (dataType.equals("json") && mariaDb) {
            dataType = "longtext"; // MariaDB's JSON is an alias of LONGTEXT (utf8mb4, binary collation)
            charsetName = "utf8mb4";
        }
        String charset = null;
        if (isText(dataType)) {
            charset = charsetOf(charsetName, collate);
            if (charset == null) {
                charset = tableCharset != null ? tableCharset : draft.serverCharset;
            }
            if ("binary".equals(charset)) {
                dataType = switch (dataType) {
                    case "char" -> "binary";
                    case "varchar" -> "varbinary";
                    case "tinytext" -> "tinyblob";
                    case "text" -> "blob";
                    case "mediumtext" -> "mediumblob";
                    case "longtext" -> "longblob";
                    default -> dataType;
                };
                charset = isText(dataType) ? charset : null;
            }
        }
        StringBuilder columnType = new StringBuilder(dataType);
        if (dataType.equals("enum") || dataType.equals("set")) {
            columnType.append('(');
            for (int i = 0; i < type.getArguments().size(); i++) {
                SQLExpr e = type.getArguments().get(i);
                String value = e instanceof SQLCharExpr s ? s.getText() : SQLUtils.normalize(e.toString());
                columnType.append(i == 0 ? "" : ",").append('\'')
                        .append(value.replace("\\", "\\\\").replace("'", "''")).append('\'');
            }
            columnType.append(')');
        } else if (raw.equals("bool") || raw.equals("boolean")) {
            columnType.append("(1)");
        } else if (!args.isEmpty()) {
            columnType.append('(').append(String.join(",", args)).append(')');
        }
        if (unsigned) {
            columnType.append(" unsigned");
        }
        if (zerofill) {
            columnType.append(" zerofill");
        }
        return new ColumnDefinition(name, dataType, columnType.toString(), charset, primaryKey);
    }

    private ColumnDefinition convert(ColumnDefinition c, String charset) {
        return new ColumnDefinition(c.name(), c.dataType(), c.columnType(), charset, c.primaryKey());
    }

    static boolean isText(String dataType) {
        return switch (dataType) {
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> true;
            default -> false;
        };
    }

    private String tableCharset(List<SQLAssignItem> options, String schema) {
        String charset = null;
        for (SQLAssignItem option : options) {
            String c = optionCharset(String.valueOf(option.getTarget()), option.getValue());
            if (c != null) {
                charset = c;
            }
        }
        if (charset != null) {
            return charset;
        }
        String schemaCharset = draft.schemaCharsets.get(schema);
        return schemaCharset != null ? schemaCharset : draft.serverCharset;
    }

    private static @Nullable String optionCharset(String name, SQLExpr value) {
        if (name == null || value == null) {
            return null;
        }
        String option = name.toUpperCase(Locale.ROOT).replace("DEFAULT", "").replace("_", " ").trim();
        String v = SQLUtils.normalize(value.toString());
        return switch (option) {
            case "CHARSET", "CHARACTER SET", "CHAR SET" -> normalizeCharset(v);
            case "COLLATE" -> charsetOf(null, v);
            default -> null;
        };
    }

    private static String charsetOf(SQLExpr charset, SQLExpr collate) {
        return charsetOf(charset == null ? null : SQLUtils.normalize(charset.toString()),
                collate == null ? null : SQLUtils.normalize(collate.toString()));
    }

    /** A charset from a charset name, else from a collation name (its prefix up to the first '_'). */
    static @Nullable String charsetOf(@Nullable String charset, @Nullable String collate) {
        if (charset != null && !charset.isBlank()) {
            return normalizeCharset(SQLUtils.normalize(charset));
        }
        if (collate != null && !collate.isBlank()) {
            String c = SQLUtils.normalize(collate).toLowerCase(Locale.ROOT);
            int us = c.indexOf('_');
            return normalizeCharset(us < 0 ? c : c.substring(0, us));
        }
        return null;
    }

    private static String normalizeCharset(String charset) {
        String c = charset.toLowerCase(Locale.ROOT);
        return c.equals("utf8") ? "utf8mb3" : c;
    }

    private TableKey key(SQLExprTableSource source) {
        return key(source.getExpr());
    }

    private TableKey key(SQLExpr expr) {
        if (expr instanceof com.alibaba.druid.sql.ast.expr.SQLPropertyExpr p) {
            return new TableKey(SQLUtils.normalize(p.getOwnerName()), SQLUtils.normalize(p.getName()));
        }
        if (defaultSchema == null) {
            throw new Unsupported(null, "it names table " + expr + " without a schema and has no default schema");
        }
        return new TableKey(defaultSchema, name(expr));
    }

    private static String name(Object name) {
        return SQLUtils.normalize(String.valueOf(name));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
