package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.internal.mysql.Vectors;
import dev.canalboot.model.Column;
import dev.canalboot.model.ZeroDatePolicy;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Decodes the non-null values of one column of a table map. Built once per table map from the column's
 * binlog type and metadata; immutable but for the memo of the last date a temporal column decoded. The type is resolved at build time into one operation code, so a value
 * decodes through a single switch in one final class (a call the JIT inlines), not through a per-column
 * lambda whose call site sees every column type.
 */
public final class ColumnDecoder {

    private static final int CACHED_SET_MEMBERS = 8;

    private static final int TINY = 0;
    private static final int TINY_UNSIGNED = 1;
    private static final int SHORT = 2;
    private static final int SHORT_UNSIGNED = 3;
    private static final int INT24 = 4;
    private static final int INT24_UNSIGNED = 5;
    private static final int LONG = 6;
    private static final int LONG_UNSIGNED = 7;
    private static final int LONGLONG = 8;
    private static final int LONGLONG_UNSIGNED = 9;
    private static final int FLOAT = 10;
    private static final int DOUBLE = 11;
    private static final int DECIMAL = 12;
    private static final int YEAR = 13;
    private static final int DATE = 14;
    private static final int DATETIME2 = 15;
    private static final int DATETIME = 16;
    private static final int TIMESTAMP2 = 17;
    private static final int TIMESTAMP = 18;
    private static final int TIME2 = 19;
    private static final int TIME = 20;
    private static final int BIT1 = 21;
    private static final int BITS = 22;
    private static final int TEXT = 23;
    private static final int BYTES = 24;
    private static final int JSON = 25;
    private static final int ENUM = 26;
    private static final int SET = 27;
    private static final int VECTOR = 28;

    private final int op;
    private final String column;
    /** Length-prefix bytes (strings, blobs, JSON), fractional digits (temporals), pack length (ENUM, SET), bytes (BIT). */
    private final int size;
    /** DECIMAL precision, or the size BINARY(n) values are padded back to. */
    private final int precision;
    private final int scale;
    private final Charset charset;
    private final String[] elements;
    private final boolean zeroDatesAreErrors;
    /**
     * SET values of columns with up to {@value #CACHED_SET_MEMBERS} members, by bit pattern, made on first use:
     * a SET value is immutable, and building one per row cost more than the rest of a wide row's integers.
     */
    private final Set<String>[] sets;
    /** DECIMAL columns: their digit groups. */
    private final Decimals.Layout decimal;
    /** DATE and DATETIME columns: the date of the last value (see {@link Temporals.LastDate}). */
    private final Temporals.LastDate dates;

    private ColumnDecoder(int op, String column, int size, int precision, int scale, Charset charset,
                          String[] elements, boolean zeroDatesAreErrors) {
        this.op = op;
        this.column = column;
        this.size = size;
        this.precision = precision;
        this.scale = scale;
        this.charset = charset;
        this.elements = elements;
        this.zeroDatesAreErrors = zeroDatesAreErrors;
        this.decimal = op == DECIMAL ? new Decimals.Layout(precision, scale) : null;
        this.dates = op == DATE || op == DATETIME2 || op == DATETIME ? new Temporals.LastDate() : null;
        this.sets = op == SET && elements.length <= CACHED_SET_MEMBERS ? newSetCache(1 << elements.length) : null;
    }

    @SuppressWarnings("unchecked")
    private static Set<String>[] newSetCache(int size) {
        return (Set<String>[]) new Set<?>[size];
    }

    /**
     * @param type      real table-map type ({@link MysqlType})
     * @param meta      table-map metadata as {@link dev.canalboot.internal.binlog.event.TableMapEvent} normalises it
     * @param column    the model column (unsigned, elements, length)
     * @param charset   the Java charset of a character column, {@code null} for binary data
     * @param zeroDates what zero dates become
     */
    public static ColumnDecoder of(int type, int meta, Column column, Charset charset, ZeroDatePolicy zeroDates) {
        boolean unsigned = column.unsigned();
        String name = column.name();
        boolean zeroErrors = zeroDates == ZeroDatePolicy.ERROR;
        return switch (type) {
            case MysqlType.TINY -> simple(unsigned ? TINY_UNSIGNED : TINY, name);
            case MysqlType.SHORT -> simple(unsigned ? SHORT_UNSIGNED : SHORT, name);
            case MysqlType.INT24 -> simple(unsigned ? INT24_UNSIGNED : INT24, name);
            case MysqlType.LONG -> simple(unsigned ? LONG_UNSIGNED : LONG, name);
            case MysqlType.LONGLONG -> simple(unsigned ? LONGLONG_UNSIGNED : LONGLONG, name);
            case MysqlType.FLOAT -> simple(FLOAT, name);
            case MysqlType.DOUBLE -> simple(DOUBLE, name);
            case MysqlType.NEWDECIMAL -> {
                int precision = meta >>> 8;
                int scale = meta & 0xff;
                if (precision == 0 || precision > 65 || scale > precision) {
                    throw new BinlogDecodeException("invalid DECIMAL(" + precision + "," + scale + ") metadata");
                }
                yield new ColumnDecoder(DECIMAL, name, 0, precision, scale, null, null, false);
            }
            case MysqlType.YEAR -> simple(YEAR, name);
            case MysqlType.DATE, MysqlType.NEWDATE -> new ColumnDecoder(DATE, name, 0, 0, 0, null, null, zeroErrors);
            case MysqlType.DATETIME2 -> new ColumnDecoder(DATETIME2, name, fsp(meta), 0, 0, null, null, zeroErrors);
            case MysqlType.DATETIME -> new ColumnDecoder(DATETIME, name, 0, 0, 0, null, null, zeroErrors);
            case MysqlType.TIMESTAMP2 -> new ColumnDecoder(TIMESTAMP2, name, fsp(meta), 0, 0, null, null, zeroErrors);
            case MysqlType.TIMESTAMP -> new ColumnDecoder(TIMESTAMP, name, 0, 0, 0, null, null, zeroErrors);
            case MysqlType.TIME2 -> new ColumnDecoder(TIME2, name, fsp(meta), 0, 0, null, null, false);
            case MysqlType.TIME -> simple(TIME, name);
            case MysqlType.BIT -> column.length() == 1 ? simple(BIT1, name)
                    : new ColumnDecoder(BITS, name, (column.length() + 7) >>> 3, 0, 0, null, null, false);
            case MysqlType.VARCHAR, MysqlType.VAR_STRING -> prefixed(meta < 256 ? 1 : 2, charset, 0, name);
            case MysqlType.STRING -> prefixed(meta < 256 ? 1 : 2, charset, charset == null ? meta : 0, name);
            case MysqlType.BLOB, MysqlType.TINY_BLOB, MysqlType.MEDIUM_BLOB, MysqlType.LONG_BLOB,
                 MysqlType.GEOMETRY -> prefixed(lengthBytes(meta), charset, 0, name);
            case MysqlType.JSON -> new ColumnDecoder(JSON, name, lengthBytes(meta), 0, 0, null, null, false);
            case MysqlType.VECTOR -> new ColumnDecoder(VECTOR, name, lengthBytes(meta), 0, 0, null, null, false);
            case MysqlType.ENUM -> {
                if (meta != 1 && meta != 2) {
                    throw new BinlogDecodeException("ENUM column " + name + " has pack length " + meta);
                }
                yield new ColumnDecoder(ENUM, name, meta, 0, 0, null, column.elements().toArray(String[]::new), false);
            }
            case MysqlType.SET -> {
                if (meta < 1 || meta > 8) {
                    throw new BinlogDecodeException("SET column " + name + " has pack length " + meta);
                }
                yield new ColumnDecoder(SET, name, meta, 0, 0, null, column.elements().toArray(String[]::new), false);
            }
            default -> throw new BinlogDecodeException("column " + name + " has unsupported type "
                    + MysqlType.name(type));
        };
    }

    private static ColumnDecoder simple(int op, String column) {
        return new ColumnDecoder(op, column, 0, 0, 0, null, null, false);
    }

    /**
     * Strings and bytes with a length prefix. {@code padTo} > 0 pads BINARY(n) values back to n bytes: the
     * binlog drops their trailing zero bytes.
     */
    private static ColumnDecoder prefixed(int lengthBytes, Charset charset, int padTo, String column) {
        return charset != null ? new ColumnDecoder(TEXT, column, lengthBytes, 0, 0, charset, null, false)
                : new ColumnDecoder(BYTES, column, lengthBytes, padTo, 0, null, null, false);
    }

    /** The length prefix size of BLOB/TEXT/JSON/GEOMETRY values: the table-map metadata, 1 to 4. */
    public static int lengthBytes(int meta) {
        if (meta < 1 || meta > 4) {
            throw new BinlogDecodeException("invalid length-prefix size " + meta);
        }
        return meta;
    }

    private static int fsp(int meta) {
        if (meta > 6) {
            throw new BinlogDecodeException("invalid fractional seconds precision " + meta);
        }
        return meta;
    }

    /** The length-prefixed bytes of a JSON value as a buffer (consumed from {@code in}). */
    public io.netty.buffer.ByteBuf jsonBytes(ByteReader in) {
        return in.slice(in.length(size));
    }

    /** Decodes one non-null value at the reader's position, consuming exactly its bytes. */
    public Object decode(ByteReader in) {
        return switch (op) {
            case TINY -> in.s8();
            case TINY_UNSIGNED -> in.u8();
            case SHORT -> in.s16();
            case SHORT_UNSIGNED -> in.u16();
            case INT24 -> in.s24();
            case INT24_UNSIGNED -> in.u24();
            case LONG -> in.s32();
            case LONG_UNSIGNED -> in.u32();
            case LONGLONG -> in.s64();
            case LONGLONG_UNSIGNED -> unsignedLong(in.s64());
            case FLOAT -> Float.intBitsToFloat(in.s32());
            case DOUBLE -> Double.longBitsToDouble(in.s64());
            case DECIMAL -> decimal.decode(in);
            case YEAR -> {
                int y = in.u8();
                yield y == 0 ? 0 : 1900 + y;
            }
            case DATE -> checkedDate(Temporals.date(in, dates));
            case DATETIME2 -> checkedDate(Temporals.datetime2(in, size, dates));
            case DATETIME -> checkedDate(Temporals.datetime(in, dates));
            case TIMESTAMP2 -> checkedDate(Temporals.timestamp2(in, size));
            case TIMESTAMP -> checkedDate(Temporals.timestamp(in));
            case TIME2 -> Temporals.time2(in, size);
            case TIME -> Temporals.time(in);
            case BIT1 -> in.s8() != 0;
            case BITS -> in.unsignedBE(size);
            case TEXT -> in.string(in.length(size), charset);
            case BYTES -> in.bytes(in.length(size), precision);
            case VECTOR -> vector(in.bytes(in.length(size), 0));
            case JSON -> {
                int length = in.length(size);
                yield JsonBinary.toText(in.array(), in.take(length), length);
            }
            case ENUM -> enumeration(size == 1 ? in.u8() : in.u16());
            case SET -> set(in.unsignedLE(size));
            default -> throw new IllegalStateException("operation " + op);
        };
    }

    /**
     * Steps over one non-null value without decoding it: exactly the bytes {@link #decode} consumes. This is how
     * the connection's thread finds where each row of an event starts when it leaves the decoding to the
     * consumer.
     */
    public void skip(ByteReader in) {
        in.skip(switch (op) {
            case TINY, TINY_UNSIGNED, YEAR, BIT1 -> 1;
            case SHORT, SHORT_UNSIGNED -> 2;
            case INT24, INT24_UNSIGNED, DATE, TIME -> 3;
            case LONG, LONG_UNSIGNED, FLOAT, TIMESTAMP -> 4;
            case LONGLONG, LONGLONG_UNSIGNED, DOUBLE, DATETIME -> 8;
            case DECIMAL -> decimal.size();
            case DATETIME2 -> 5 + Temporals.fractionBytes(size);
            case TIMESTAMP2 -> 4 + Temporals.fractionBytes(size);
            case TIME2 -> 3 + Temporals.fractionBytes(size);
            case BITS, ENUM, SET -> size;
            case TEXT, BYTES, JSON, VECTOR -> in.length(size);
            default -> throw new IllegalStateException("operation " + op);
        });
    }

    private static BigInteger unsignedLong(long v) {
        if (v >= 0) {
            return BigInteger.valueOf(v);
        }
        byte[] magnitude = new byte[8];
        for (int i = 0; i < 8; i++) {
            magnitude[i] = (byte) (v >>> (56 - 8 * i));
        }
        return new BigInteger(1, magnitude);
    }

    private float[] vector(byte[] bytes) {
        try {
            return Vectors.fromBytes(bytes, column);
        } catch (IllegalArgumentException e) {
            throw new BinlogDecodeException(e.getMessage());
        }
    }

    private Object checkedDate(Object value) {
        if (value == null && zeroDatesAreErrors) {
            throw new BinlogDecodeException("column " + column
                    + " holds a zero or invalid date and zero dates are configured as errors");
        }
        return value;
    }

    private String enumeration(int index) {
        if (index == 0) {
            return ""; // the error value MySQL stores for invalid input in non-strict mode
        }
        if (index > elements.length) {
            throw new BinlogDecodeException("ENUM column " + column + " holds index " + index
                    + " but has " + elements.length + " elements");
        }
        return elements[index - 1];
    }

    private Set<String> set(long bits) {
        if (sets != null && bits >= 0 && bits < sets.length) {
            Set<String> set = sets[(int) bits];
            if (set == null) {
                set = newSet(bits);
                sets[(int) bits] = set; // immutable with final fields: safe to share even without a lock
            }
            return set;
        }
        return newSet(bits);
    }

    private Set<String> newSet(long bits) {
        String[] members = new String[Long.bitCount(bits)];
        int n = 0;
        for (int i = 0; bits != 0; i++, bits >>>= 1) {
            if ((bits & 1) != 0) {
                if (i >= elements.length) {
                    throw new BinlogDecodeException("SET column " + column + " has bit " + i
                            + " set but " + elements.length + " elements");
                }
                members[n++] = elements[i];
            }
        }
        return new SetValue(members);
    }

    /**
     * A SET value: its members in the column's definition order, immutable. A hash set per value cost more
     * than the rest of a wide row; a SET has at most 64 members, so a linear search is enough.
     */
    private static final class SetValue extends AbstractSet<String> {

        private final List<String> members;

        SetValue(String[] members) {
            this.members = Arrays.asList(members);
        }

        @Override
        public Iterator<String> iterator() {
            return Collections.unmodifiableList(members).iterator();
        }

        @Override
        public int size() {
            return members.size();
        }

        @Override
        public boolean contains(Object o) {
            return members.contains(o);
        }
    }
}
