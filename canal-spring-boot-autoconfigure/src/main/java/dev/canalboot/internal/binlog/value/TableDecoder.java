package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.internal.mysql.MysqlCharsets;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.internal.mysql.EnumSetElements;
import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The decoding plan of one table map: the model {@link TableSchema} and one {@link ColumnDecoder} per column,
 * built once per table map change and shared by every row decoded against it.
 */
public final class TableDecoder {

    private final TableSchema schema;
    private final int[] types;
    private final ColumnDecoder[] decoders;

    private TableDecoder(TableSchema schema, int[] types, ColumnDecoder[] decoders) {
        this.schema = schema;
        this.types = types;
        this.decoders = decoders;
    }

    public TableSchema schema() {
        return schema;
    }

    public int columnCount() {
        return types.length;
    }

    /**
     * Builds the plan from the table map's optional metadata, or from {@code shapes} where the table map
     * carries no column names (MINIMAL metadata). A disagreement between the two is an error, never a shifted
     * row.
     *
     * @param shapes the table's columns as information_schema knows them, or {@code null} when not available
     */
    public static TableDecoder build(TableMapEvent map, List<ColumnShape> shapes, ZeroDatePolicy zeroDates) {
        int count = map.columnCount();
        TableMapEvent.OptionalMetadata opt = map.optional();
        String table = map.schema() + "." + map.table();
        boolean named = opt.columnNames().size() == count;
        if (!named) {
            if (shapes == null || shapes.isEmpty()) {
                throw new BinlogDecodeException("table map of " + table + " carries no column names and the"
                        + " table's columns could not be looked up; set binlog_row_metadata=FULL or give the"
                        + " decoder a table shape resolver");
            }
            if (shapes.size() != count) {
                throw new BinlogDecodeException("table map of " + table + " has " + count
                        + " columns but the table now has " + shapes.size() + " (" + names(shapes)
                        + "); the table changed after these events were written");
            }
        }
        List<Column> columns = new ArrayList<>(count);
        ColumnDecoder[] decoders = new ColumnDecoder[count];
        int enumIndex = 0;
        int setIndex = 0;
        for (int i = 0; i < count; i++) {
            int type = map.types()[i];
            int meta = map.metadata()[i];
            ColumnShape shape = named ? null : shapes.get(i);
            if (shape != null) {
                checkCompatible(table, i, type, shape);
            }
            String name = named ? opt.columnNames().get(i) : shape.name();
            boolean unsigned = opt.unsigned() != null ? opt.unsigned()[i]
                    : shape != null && shape.columnType() != null
                    && shape.columnType().toLowerCase(Locale.ROOT).contains("unsigned");
            String mysqlCharset = charsetName(table, name, i, type, opt, shape);
            boolean binary = mysqlCharset == null || mysqlCharset.equals("binary");
            Charset charset = binary ? null : MysqlCharsets.forName(mysqlCharset);
            if (!binary && charset == null) {
                throw new BinlogDecodeException("column " + table + "." + name + " uses character set "
                        + mysqlCharset + " which has no Java equivalent here");
            }
            List<String> elements = List.of();
            if (MysqlType.isEnumOrSet(type)) {
                List<List<String>> named0 = type == MysqlType.ENUM ? opt.enumValues() : opt.setValues();
                int k = type == MysqlType.ENUM ? enumIndex++ : setIndex++;
                if (k < named0.size()) {
                    elements = named0.get(k);
                } else if (shape != null) {
                    try {
                        elements = EnumSetElements.parse(shape.columnType());
                    } catch (IllegalArgumentException e) {
                        throw new BinlogDecodeException("column " + table + "." + name + ": " + e.getMessage(), e);
                    }
                } else {
                    throw new BinlogDecodeException("table map of " + table + " names column " + name
                            + " but not its ENUM/SET values");
                }
            }
            boolean primaryKey = opt.primaryKey() != null ? contains(opt.primaryKey(), i)
                    : shape != null && shape.primaryKey();
            ColumnType family = family(type, binary);
            int maxBytesPerChar = binary ? 1 : maxBytesPerChar(mysqlCharset);
            int length = switch (type) {
                case MysqlType.BIT -> (meta >>> 8) * 8 + (meta & 0xff);
                case MysqlType.STRING, MysqlType.VARCHAR, MysqlType.VAR_STRING -> meta / maxBytesPerChar;
                default -> 0;
            };
            int scale = switch (type) {
                case MysqlType.NEWDECIMAL -> meta & 0xff;
                case MysqlType.TIME2, MysqlType.DATETIME2, MysqlType.TIMESTAMP2 -> meta;
                default -> 0;
            };
            boolean textual = family == ColumnType.CHAR || family == ColumnType.VARCHAR || family == ColumnType.TEXT
                    || family == ColumnType.ENUM || family == ColumnType.SET;
            Column column = new Column(name, i, family, unsigned, length, scale,
                    textual && charset != null ? charset.name() : null, primaryKey, elements);
            columns.add(column);
            decoders[i] = ColumnDecoder.of(type, meta, column,
                    type == MysqlType.JSON || type == MysqlType.GEOMETRY ? null : charset, zeroDates);
        }
        return new TableDecoder(new TableSchema(map.schema(), map.table(), columns), map.types().clone(),
                decoders);
    }

    /**
     * Decodes one row image at the reader's position: the null bitmap over the present columns, then their
     * values. Columns absent from the image ({@code binlog_row_image=MINIMAL}) are {@code null}.
     *
     * @param present       the event's column bitmap for this image
     * @param presentCount  how many bits of {@code present} are set
     * @param jsonDocuments when not {@code null}, receives the parsed JSON tree of each JSON column (for
     *                      applying partial updates)
     */
    public Object[] decodeImage(ByteReader in, byte[] present, int presentCount, Object[] jsonDocuments) {
        int count = decoders.length;
        boolean all = presentCount == count;
        Object[] values = new Object[count];
        int nulls = in.take((presentCount + 7) >>> 3);
        int p = 0;
        int i = 0;
        try {
            for (; i < count; i++) {
                if (!all && !bit(present, i)) {
                    continue;
                }
                if (!in.bit(nulls, p++)) {
                    if (jsonDocuments != null && types[i] == MysqlType.JSON) {
                        Object doc = JsonBinary.parse(decoders[i].jsonBytes(in));
                        jsonDocuments[i] = doc;
                        values[i] = JsonText.write(doc);
                    } else {
                        values[i] = decoders[i].decode(in);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw valueError(i, e);
        }
        return values;
    }

    /**
     * Steps over one row image as {@link #decodeImage} would read it, decoding nothing: the null bitmap, then
     * the length of each present non-null value.
     */
    public void skipImage(ByteReader in, byte[] present, int presentCount) {
        int count = decoders.length;
        boolean all = presentCount == count;
        int nulls = in.take((presentCount + 7) >>> 3);
        int p = 0;
        int i = 0;
        try {
            for (; i < count; i++) {
                if ((all || bit(present, i)) && !in.bit(nulls, p++)) {
                    decoders[i].skip(in);
                }
            }
        } catch (RuntimeException e) {
            throw valueError(i, e);
        }
    }

    /**
     * The after image of a PARTIAL_UPDATE_ROWS_EVENT: value options, a bitmap of JSON columns logged as
     * diffs, then an ordinary image where those columns hold diffs against {@code beforeJson}.
     */
    public Object[] decodePartialImage(ByteReader in, byte[] present, int presentCount, Object[] beforeJson) {
        ByteBuf rest = in.rest();
        long valueOptions = dev.canalboot.internal.binlog.event.WireReads.readLenenc(rest);
        in.skip(rest.readerIndex());
        int partialBits = -1;
        if ((valueOptions & 1) != 0) {
            int jsonPresent = 0;
            for (int i = 0; i < types.length; i++) {
                if (types[i] == MysqlType.JSON && bit(present, i)) {
                    jsonPresent++;
                }
            }
            partialBits = in.take((jsonPresent + 7) >>> 3);
        }
        int count = types.length;
        Object[] values = new Object[count];
        int nulls = in.take((presentCount + 7) >>> 3);
        int p = 0;
        int j = 0;
        int i = 0;
        try {
            for (; i < count; i++) {
                if (!bit(present, i)) {
                    continue;
                }
                boolean partial = false;
                if (types[i] == MysqlType.JSON && partialBits >= 0) {
                    partial = in.bit(partialBits, j++);
                }
                if (!in.bit(nulls, p++)) {
                    if (partial) {
                        Object before = beforeJson[i];
                        if (before == null) {
                            throw new BinlogDecodeException("partial JSON update has no before value to apply the"
                                    + " JSON diff to; the full after image needs binlog_row_image=FULL with"
                                    + " binlog_row_value_options=PARTIAL_JSON");
                        }
                        values[i] = JsonText.write(JsonDiff.apply(before, decoders[i].jsonBytes(in)));
                    } else {
                        values[i] = decoders[i].decode(in);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw valueError(i, e);
        }
        return values;
    }

    /** Names the column of a failed value; anything but the project's own exceptions means corrupt input. */
    private BinlogDecodeException valueError(int i, RuntimeException e) {
        String where = i < types.length ? where(i) : schema.qualifiedName();
        if (e instanceof BinlogDecodeException) {
            return new BinlogDecodeException(where + ": " + e.getMessage(), e);
        }
        if (e instanceof IndexOutOfBoundsException) {
            return new BinlogDecodeException(where + ": value runs past the end of the event", e);
        }
        throw e;
    }

    private String where(int i) {
        return "column " + schema.qualifiedName() + "." + schema.column(i).name() + " ("
                + MysqlType.name(types[i]) + ")";
    }

    private static boolean bit(byte[] bitmap, int index) {
        return (bitmap[index >>> 3] & (1 << (index & 7))) != 0;
    }

    private static ColumnType family(int type, boolean binary) {
        return switch (type) {
            case MysqlType.TINY -> ColumnType.TINYINT;
            case MysqlType.SHORT -> ColumnType.SMALLINT;
            case MysqlType.INT24 -> ColumnType.MEDIUMINT;
            case MysqlType.LONG -> ColumnType.INT;
            case MysqlType.LONGLONG -> ColumnType.BIGINT;
            case MysqlType.NEWDECIMAL, MysqlType.DECIMAL -> ColumnType.DECIMAL;
            case MysqlType.FLOAT -> ColumnType.FLOAT;
            case MysqlType.DOUBLE -> ColumnType.DOUBLE;
            case MysqlType.BIT -> ColumnType.BIT;
            case MysqlType.YEAR -> ColumnType.YEAR;
            case MysqlType.DATE, MysqlType.NEWDATE -> ColumnType.DATE;
            case MysqlType.TIME, MysqlType.TIME2 -> ColumnType.TIME;
            case MysqlType.DATETIME, MysqlType.DATETIME2 -> ColumnType.DATETIME;
            case MysqlType.TIMESTAMP, MysqlType.TIMESTAMP2 -> ColumnType.TIMESTAMP;
            case MysqlType.STRING -> binary ? ColumnType.BINARY : ColumnType.CHAR;
            case MysqlType.VARCHAR, MysqlType.VAR_STRING -> binary ? ColumnType.VARBINARY : ColumnType.VARCHAR;
            case MysqlType.BLOB, MysqlType.TINY_BLOB, MysqlType.MEDIUM_BLOB, MysqlType.LONG_BLOB ->
                    binary ? ColumnType.BLOB : ColumnType.TEXT;
            case MysqlType.JSON -> ColumnType.JSON;
            case MysqlType.GEOMETRY -> ColumnType.GEOMETRY;
            case MysqlType.VECTOR -> ColumnType.VECTOR;
            case MysqlType.ENUM -> ColumnType.ENUM;
            case MysqlType.SET -> ColumnType.SET;
            default -> ColumnType.UNKNOWN;
        };
    }

    /** The MySQL character set of a character/ENUM/SET column; {@code null} for columns without one. */
    private static @Nullable String charsetName(String table, String name, int i, int type,
                                      TableMapEvent.OptionalMetadata opt, ColumnShape shape) {
        if (!MysqlType.isCharacter(type) && !MysqlType.isEnumOrSet(type)) {
            return null;
        }
        if (opt.collations() != null && opt.collations()[i] >= 0) {
            String charset = MysqlCharsets.charsetName(opt.collations()[i]);
            if (charset == null) {
                throw new BinlogDecodeException("column " + table + "." + name + " has unknown collation id "
                        + opt.collations()[i]);
            }
            return charset;
        }
        if (shape != null) {
            return shape.charset() == null ? "binary" : shape.charset().toLowerCase(Locale.ROOT);
        }
        throw new BinlogDecodeException("the character set of column " + table + "." + name
                + " is unknown: set binlog_row_metadata=MINIMAL or FULL, or give the decoder a table shape resolver");
    }

    private static int maxBytesPerChar(String charset) {
        return switch (charset) {
            case "utf8mb4", "utf16", "utf32", "gb18030" -> 4;
            case "utf8mb3", "utf8", "ujis", "eucjpms" -> 3;
            case "gbk", "big5", "sjis", "cp932", "euckr", "gb2312", "ucs2", "utf16le" -> 2;
            default -> 1;
        };
    }

    /** The binlog types a column of information_schema DATA_TYPE {@code dataType} can have. */
    private static void checkCompatible(String table, int i, int type, ColumnShape shape) {
        String dataType = shape.dataType() == null ? "" : shape.dataType().toLowerCase(Locale.ROOT);
        boolean ok = switch (dataType) {
            case "tinyint" -> type == MysqlType.TINY;
            case "smallint" -> type == MysqlType.SHORT;
            case "mediumint" -> type == MysqlType.INT24;
            case "int", "integer" -> type == MysqlType.LONG;
            case "bigint" -> type == MysqlType.LONGLONG;
            case "decimal", "numeric" -> type == MysqlType.NEWDECIMAL || type == MysqlType.DECIMAL;
            case "float" -> type == MysqlType.FLOAT;
            case "double", "real" -> type == MysqlType.DOUBLE;
            case "bit" -> type == MysqlType.BIT;
            case "year" -> type == MysqlType.YEAR;
            case "date" -> type == MysqlType.DATE || type == MysqlType.NEWDATE;
            case "time" -> type == MysqlType.TIME || type == MysqlType.TIME2;
            case "datetime" -> type == MysqlType.DATETIME || type == MysqlType.DATETIME2;
            case "timestamp" -> type == MysqlType.TIMESTAMP || type == MysqlType.TIMESTAMP2;
            case "char", "binary" -> type == MysqlType.STRING;
            case "varchar", "varbinary" -> type == MysqlType.VARCHAR || type == MysqlType.VAR_STRING;
            case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob" ->
                    type == MysqlType.BLOB || type == MysqlType.TINY_BLOB || type == MysqlType.MEDIUM_BLOB
                            || type == MysqlType.LONG_BLOB;
            case "enum" -> type == MysqlType.ENUM;
            case "set" -> type == MysqlType.SET;
            case "json" -> type == MysqlType.JSON || type == MysqlType.BLOB;
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> type == MysqlType.GEOMETRY;
            case "vector" -> type == MysqlType.VECTOR;
            default -> true; // server-specific types (e.g. MariaDB inet6, uuid): the binlog type decides
        };
        if (!ok) {
            throw new BinlogDecodeException("table map of " + table + " gives column " + i + " (" + shape.name()
                    + ") binlog type " + MysqlType.name(type) + " but the table now declares it "
                    + shape.columnType() + "; the table changed after these events were written");
        }
    }

    private static boolean contains(int[] array, int value) {
        for (int v : array) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<ColumnShape> shapes) {
        return shapes.stream().map(ColumnShape::name).toList().toString();
    }
}
