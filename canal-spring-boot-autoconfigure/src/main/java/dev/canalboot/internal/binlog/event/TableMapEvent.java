package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.mysql.MysqlType;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * TABLE_MAP_EVENT: binds a table id to a table and its column types for the rows events that follow.
 *
 * @param tableId      the id rows events refer to
 * @param schema       schema name
 * @param table        table name
 * @param types        per column: the real type ({@link MysqlType}); CHAR/ENUM/SET resolved from metadata
 * @param metadata     per column: type metadata (see {@link #decode} for the layout per type)
 * @param nullable     per column: whether NULL is allowed
 * @param optional     optional metadata ({@code binlog_row_metadata}), never {@code null}
 */
public record TableMapEvent(long tableId, String schema, String table, int[] types, int[] metadata,
                            boolean[] nullable, OptionalMetadata optional) {

    /**
     * Metadata a server adds with {@code binlog_row_metadata=MINIMAL|FULL}. Lists are empty / arrays
     * {@code null} when absent.
     *
     * @param unsigned          per column (true only for UNSIGNED numeric columns); null when absent
     * @param collations        per column: collation id of character and ENUM/SET columns, -1 for others; null
     *                          when absent
     * @param columnNames       column names (FULL)
     * @param enumValues        per ENUM column, in column order (FULL)
     * @param setValues         per SET column, in column order (FULL)
     * @param primaryKey        primary-key column indexes (FULL)
     */
    public record OptionalMetadata(boolean[] unsigned, int[] collations, List<String> columnNames,
                                   List<List<String>> enumValues, List<List<String>> setValues, int[] primaryKey) {

        static final OptionalMetadata NONE = new OptionalMetadata(null, null, List.of(), List.of(), List.of(), null);
    }

    private static final int SIGNEDNESS = 1;
    private static final int DEFAULT_CHARSET = 2;
    private static final int COLUMN_CHARSET = 3;
    private static final int COLUMN_NAME = 4;
    private static final int SET_STR_VALUE = 5;
    private static final int ENUM_STR_VALUE = 6;
    private static final int GEOMETRY_TYPE = 7;
    private static final int SIMPLE_PRIMARY_KEY = 8;
    private static final int PRIMARY_KEY_WITH_PREFIX = 9;
    private static final int ENUM_AND_SET_DEFAULT_CHARSET = 10;
    private static final int ENUM_AND_SET_COLUMN_CHARSET = 11;

    public int columnCount() {
        return types.length;
    }

    /**
     * Decodes the body after the table id and flags; {@code mariadb} says which server wrote it (the servers
     * count different columns as character columns, see {@link #charsetCounted}).
     */
    public static TableMapEvent decode(long tableId, ByteBuf body, boolean mariadb) {
        String schema = WireReads.readString(body, body.readUnsignedByte(), StandardCharsets.UTF_8, "schema name");
        body.skipBytes(1);
        String table = WireReads.readString(body, body.readUnsignedByte(), StandardCharsets.UTF_8, "table name");
        body.skipBytes(1);
        int count = WireReads.readLenencLength(body, "column count");
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readUnsignedByte();
        }
        ByteBuf meta = body.readSlice(WireReads.readLenencLength(body, "column metadata"));
        int[] metadata = new int[count];
        for (int i = 0; i < count; i++) {
            int type = types[i];
            switch (MysqlType.metadataLength(type)) {
                case 1 -> metadata[i] = meta.readUnsignedByte();
                case 2 -> {
                    if (type == MysqlType.STRING || type == MysqlType.ENUM || type == MysqlType.SET
                            || type == MysqlType.NEWDECIMAL) {
                        metadata[i] = meta.readUnsignedShort(); // big-endian: (type|precision) then length|scale
                    } else {
                        metadata[i] = meta.readUnsignedShortLE();
                    }
                }
                default -> metadata[i] = 0;
            }
            if (type == MysqlType.STRING) {
                int byte0 = metadata[i] >>> 8;
                int byte1 = metadata[i] & 0xff;
                if ((byte0 & 0x30) != 0x30) {
                    // CHAR longer than 255 bytes keeps two length bits in the type byte.
                    types[i] = byte0 | 0x30;
                    metadata[i] = byte1 | (((byte0 & 0x30) ^ 0x30) << 4);
                } else {
                    types[i] = byte0;
                    metadata[i] = byte1;
                }
            } else if (type == MysqlType.ENUM || type == MysqlType.SET) {
                metadata[i] = metadata[i] & 0xff;
            }
        }
        boolean[] nullable = new boolean[count];
        int nullBytes = (count + 7) >>> 3;
        WireReads.checkLength(nullBytes, body, "null bitmap");
        int base = body.readerIndex();
        for (int i = 0; i < count; i++) {
            nullable[i] = (body.getByte(base + (i >>> 3)) & (1 << (i & 7))) != 0;
        }
        body.skipBytes(nullBytes);
        OptionalMetadata optional = body.isReadable() ? decodeOptional(body, types, mariadb) : OptionalMetadata.NONE;
        return new TableMapEvent(tableId, schema, table, types, metadata, nullable, optional);
    }

    private static OptionalMetadata decodeOptional(ByteBuf in, int[] types, boolean mariadb) {
        int count = types.length;
        boolean[] unsigned = null;
        int[] collations = null;
        int[] enumSetCollations = null;
        List<String> names = List.of();
        List<List<String>> enums = List.of();
        List<List<String>> sets = List.of();
        int[] primaryKey = null;
        while (in.isReadable()) {
            int fieldType = in.readUnsignedByte();
            ByteBuf field = in.readSlice(WireReads.readLenencLength(in, "optional metadata field " + fieldType));
            switch (fieldType) {
                case SIGNEDNESS -> {
                    unsigned = new boolean[count];
                    int bit = 0;
                    for (int i = 0; i < count; i++) {
                        if (signednessCounted(types[i], mariadb)) {
                            int b = field.getUnsignedByte(field.readerIndex() + (bit >>> 3));
                            unsigned[i] = (b & (0x80 >>> (bit & 7))) != 0;
                            bit++;
                        }
                    }
                }
                case DEFAULT_CHARSET, COLUMN_CHARSET -> collations = collations(field, fieldType == DEFAULT_CHARSET,
                        types, type -> charsetCounted(type, mariadb), collations);
                case ENUM_AND_SET_DEFAULT_CHARSET, ENUM_AND_SET_COLUMN_CHARSET -> enumSetCollations = collations(
                        field, fieldType == ENUM_AND_SET_DEFAULT_CHARSET, types, MysqlType::isEnumOrSet,
                        enumSetCollations);
                case COLUMN_NAME -> {
                    List<String> list = new ArrayList<>(count);
                    while (field.isReadable()) {
                        list.add(WireReads.readLenencString(field, "column name"));
                    }
                    names = list;
                }
                case SET_STR_VALUE -> sets = stringLists(field);
                case ENUM_STR_VALUE -> enums = stringLists(field);
                case SIMPLE_PRIMARY_KEY, PRIMARY_KEY_WITH_PREFIX -> {
                    int[] pk = new int[count];
                    int n = 0;
                    while (field.isReadable()) {
                        long index = WireReads.readLenenc(field);
                        if (index < 0 || index >= count || n == count) {
                            throw new BinlogDecodeException("primary key column index " + index + " out of "
                                    + count + " columns");
                        }
                        pk[n++] = (int) index;
                        if (fieldType == PRIMARY_KEY_WITH_PREFIX) {
                            WireReads.readLenenc(field); // prefix length
                        }
                    }
                    primaryKey = Arrays.copyOf(pk, n);
                }
                default -> { } // GEOMETRY_TYPE, COLUMN_VISIBILITY and later fields: not part of the model
            }
        }
        if (enumSetCollations != null) {
            if (collations == null) {
                collations = new int[count];
                Arrays.fill(collations, -1);
            }
            for (int i = 0; i < count; i++) {
                if (MysqlType.isEnumOrSet(types[i])) {
                    collations[i] = enumSetCollations[i];
                }
            }
        }
        return new OptionalMetadata(unsigned, collations, names, enums, sets, primaryKey);
    }

    /**
     * Whether the server gives a column of table-map type {@code type} a bit in SIGNEDNESS: TINY, SHORT, INT24,
     * LONG, LONGLONG, NEWDECIMAL, FLOAT, DOUBLE, and YEAR too, which both servers implement as a kind of
     * TINYINT (seen in the table maps of MySQL 8.0 and MariaDB 11.4: a YEAR before the integers shifts them).
     */
    static boolean signednessCounted(int type, boolean mariadb) {
        return MysqlType.isNumeric(type) || type == MysqlType.YEAR;
    }

    /**
     * Whether the server counts a column of table-map type {@code type} (CHAR/ENUM/SET already resolved) among the
     * "character columns" that DEFAULT_CHARSET and COLUMN_CHARSET number. The two servers differ:
     * <ul>
     * <li>MySQL ({@code is_character_type} in its log_event code): STRING, VAR_STRING, VARCHAR and BLOB (every
     * TEXT/BLOB size travels as BLOB); since 9.0 also VECTOR. Not GEOMETRY, not JSON, not ENUM/SET.</li>
     * <li>MariaDB: every column whose binlog type information carries a charset, except ENUM/SET. That is STRING,
     * VAR_STRING, VARCHAR, BLOB (TEXT/BLOB and JSON, a LONGTEXT there) and also GEOMETRY, which is a BLOB with
     * the binary charset there, and INET4/INET6/UUID, which travel as binary STRING.</li>
     * </ul>
     * ENUM and SET are numbered on their own (ENUM_AND_SET_*, FULL only) on both servers. Counting one column
     * wrong shifts every later column onto its neighbour's charset.
     */
    static boolean charsetCounted(int type, boolean mariadb) {
        return MysqlType.isCharacter(type) || (mariadb ? type == MysqlType.GEOMETRY : type == MysqlType.VECTOR);
    }

    /**
     * DEFAULT_CHARSET: a default collation then (character-column index, collation) pairs for the
     * exceptions; COLUMN_CHARSET: one collation per character column ({@code counted} says which columns
     * are numbered).
     */
    private static int[] collations(ByteBuf field, boolean withDefault, int[] types,
                                    IntPredicate counted, int[] into) {
        int count = types.length;
        int[] result = into != null ? into : new int[count];
        if (into == null) {
            Arrays.fill(result, -1);
        }
        int[] columns = new int[count]; // n-th character column → column index
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (counted.test(types[i])) {
                columns[n++] = i;
            }
        }
        if (withDefault) {
            int defaultCollation = (int) WireReads.readLenenc(field);
            for (int k = 0; k < n; k++) {
                result[columns[k]] = defaultCollation;
            }
            while (field.isReadable()) {
                long k = WireReads.readLenenc(field);
                int collation = (int) WireReads.readLenenc(field);
                if (k < 0 || k >= n) {
                    throw new BinlogDecodeException("charset entry for character column " + k + " of " + n);
                }
                result[columns[(int) k]] = collation;
            }
        } else {
            for (int k = 0; k < n && field.isReadable(); k++) {
                result[columns[k]] = (int) WireReads.readLenenc(field);
            }
        }
        return result;
    }

    private static List<List<String>> stringLists(ByteBuf field) {
        List<List<String>> lists = new ArrayList<>();
        while (field.isReadable()) {
            int n = WireReads.readLenencLength(field, "ENUM/SET value count");
            List<String> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(WireReads.readLenencString(field, "ENUM/SET value"));
            }
            lists.add(values);
        }
        return lists;
    }
}
