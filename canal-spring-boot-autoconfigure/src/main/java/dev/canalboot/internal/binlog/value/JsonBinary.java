package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.mysql.MysqlType;
import io.netty.buffer.ByteBuf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * MySQL's binary JSON format (the JSON column's storage), walked once: straight to text, or into a small
 * tree of {@link java.util.Map} (keys in storage order), {@link java.util.List}, {@link String}, {@link Long}/{@link BigInteger}/{@link Double}/{@link java.math.BigDecimal},
 * {@link Boolean}, {@link #NULL}, and {@link Opaque} for temporal and other opaque values. {@link JsonText}
 * writes the tree as MySQL prints it.
 */
public final class JsonBinary {

    /** JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** An opaque scalar, printed as a JSON string. */
    public record Opaque(String text) {
    }

    private static final int SMALL_OBJECT = 0x00;
    private static final int LARGE_OBJECT = 0x01;
    private static final int SMALL_ARRAY = 0x02;
    private static final int LARGE_ARRAY = 0x03;
    private static final int LITERAL = 0x04;
    private static final int INT16 = 0x05;
    private static final int UINT16 = 0x06;
    private static final int INT32 = 0x07;
    private static final int UINT32 = 0x08;
    private static final int INT64 = 0x09;
    private static final int UINT64 = 0x0a;
    private static final int DOUBLE = 0x0b;
    private static final int STRING = 0x0c;
    private static final int OPAQUE = 0x0f;
    private static final int MAX_DEPTH = 150;

    /**
     * Receives a document in order, as the binary format is walked once: the text writer appends as it goes
     * (the row decoding path), the tree builder assembles a tree (for partial updates).
     */
    interface Visitor {
        void beginObject();

        void key(String key);

        void endObject();

        void beginArray();

        void endArray();

        /** A scalar: Long, BigInteger, Double, BigDecimal, String, Boolean, {@link #NULL} or {@link Opaque}. */
        void scalar(Object value);

        /** A key given as its UTF-8 bytes in {@code data}; the text writer copies them without a String. */
        default void key(byte[] data, int start, int length) {
            key(new String(data, start, length, StandardCharsets.UTF_8));
        }

        /** A string scalar given as its UTF-8 bytes in {@code data}. */
        default void string(byte[] data, int start, int length) {
            scalar(new String(data, start, length, StandardCharsets.UTF_8));
        }

        /** An integer scalar that fits a long, unboxed. */
        default void integer(long value) {
            scalar(value);
        }
    }

    /** The document's bytes; every offset below is an index into this array. */
    private final byte[] data;
    private final Visitor visitor;
    /** Values left to visit: bounds the work on corrupt offsets that make containers share children. */
    private int budget;

    private JsonBinary(byte[] data, int length, Visitor visitor) {
        this.data = data;
        this.visitor = visitor;
        this.budget = length + 16;
    }

    /** Parses the JSON document held by the readable bytes of {@code doc} (not consumed). */
    public static Object parse(ByteBuf doc) {
        JsonText.TreeBuilder tree = new JsonText.TreeBuilder();
        walk(doc, tree);
        return tree.root();
    }

    /** Binary JSON straight to its text, without building a tree. */
    public static String toText(ByteBuf doc) {
        JsonText.Writer writer = new JsonText.Writer();
        walk(doc, writer);
        return writer.toString();
    }

    /** Binary JSON held by {@code data[start, start + length)} straight to its text. */
    public static String toText(byte[] data, int start, int length) {
        // The text is mostly a little longer than the binary form: quotes, ", " and ": " replace offsets.
        JsonText.Writer writer = new JsonText.Writer(Math.max(64, length + (length >> 1)));
        walk(data, start, length, writer);
        return writer.toString();
    }

    private static void walk(ByteBuf doc, Visitor visitor) {
        ByteReader bytes = ByteReader.of(doc);
        int length = bytes.remaining();
        walk(bytes.array(), bytes.take(length), length, visitor);
    }

    private static void walk(byte[] data, int start, int length, Visitor visitor) {
        if (length == 0) {
            visitor.scalar(NULL); // an empty value is how MySQL stores JSON null in some paths
            return;
        }
        new JsonBinary(data, length, visitor).value(data[start] & 0xff, start + 1, start + length, 0);
    }

    private void value(int type, int offset, int end, int depth) {
        if (--budget < 0 || depth > MAX_DEPTH) {
            throw new BinlogDecodeException("JSON document nests too deep or refers to itself");
        }
        switch (type) {
            case SMALL_OBJECT -> container(offset, end, false, true, depth);
            case LARGE_OBJECT -> container(offset, end, true, true, depth);
            case SMALL_ARRAY -> container(offset, end, false, false, depth);
            case LARGE_ARRAY -> container(offset, end, true, false, depth);
            case STRING -> {
                long lengthAndStart = varLength(offset, end);
                visitor.string(data, (int) lengthAndStart, (int) (lengthAndStart >>> 32));
            }
            case INT16 -> visitor.integer((short) u16(offset, end));
            case UINT16 -> visitor.integer(u16(offset, end));
            case INT32 -> visitor.integer((int) u32(offset, end));
            case UINT32 -> visitor.integer(u32(offset, end));
            case INT64 -> visitor.integer(i64(offset, end));
            default -> visitor.scalar(scalar(type, offset, end));
        }
    }

    private Object scalar(int type, int offset, int end) {
        return switch (type) {
            case LITERAL -> literal(u8(offset, end));
            case INT16 -> (long) (short) u16(offset, end);
            case UINT16 -> (long) u16(offset, end);
            case INT32 -> (long) (int) u32(offset, end);
            case UINT32 -> u32(offset, end);
            case INT64 -> i64(offset, end);
            case UINT64 -> {
                long v = i64(offset, end);
                yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case DOUBLE -> Double.longBitsToDouble(i64(offset, end));
            case STRING -> {
                long lengthAndStart = varLength(offset, end);
                yield new String(data, (int) lengthAndStart, (int) (lengthAndStart >>> 32), StandardCharsets.UTF_8);
            }
            case OPAQUE -> opaque(u8(offset, end), offset + 1, end);
            default -> throw new BinlogDecodeException("unknown JSON value type 0x" + Integer.toHexString(type));
        };
    }

    private void container(int start, int end, boolean large, boolean object, int depth) {
        int entrySize = large ? 4 : 2;
        long count = large ? u32(start, end) : u16(start, end);
        long size = large ? u32(start + entrySize, end) : u16(start + entrySize, end);
        int limit = checkRange(start, size, end) + start;
        long header = 2L * entrySize + count * ((object ? entrySize + 2 : 0) + 1 + entrySize);
        if (header > size) {
            throw new BinlogDecodeException("JSON container of " + count + " entries does not fit its " + size
                    + " bytes");
        }
        int n = (int) count;
        int keyEntries = start + 2 * entrySize;
        int valueEntries = keyEntries + (object ? n * (entrySize + 2) : 0);
        if (object) {
            visitor.beginObject();
        } else {
            visitor.beginArray();
        }
        for (int i = 0; i < n; i++) {
            if (object) {
                int keyEntry = keyEntries + i * (entrySize + 2);
                long keyOffset = large ? u32(keyEntry, limit) : u16(keyEntry, limit);
                int keyLength = u16(keyEntry + entrySize, limit);
                int keyStart = start + checkRange(start, keyOffset, limit);
                checkRange(keyStart, keyLength, limit);
                visitor.key(data, keyStart, keyLength);
            }
            int entry = valueEntries + i * (1 + entrySize);
            int type = u8(entry, limit);
            if (inlined(type, large)) {
                switch (type) {
                    case LITERAL -> visitor.scalar(literal(u8(entry + 1, limit)));
                    case INT16 -> visitor.integer((short) u16(entry + 1, limit));
                    case UINT16 -> visitor.integer(u16(entry + 1, limit));
                    case INT32 -> visitor.integer((int) u32(entry + 1, limit));
                    default -> visitor.integer(u32(entry + 1, limit));
                }
            } else {
                long offset = large ? u32(entry + 1, limit) : u16(entry + 1, limit);
                value(type, start + checkRange(start, offset, limit), limit, depth + 1);
            }
        }
        if (object) {
            visitor.endObject();
        } else {
            visitor.endArray();
        }
    }

    private static boolean inlined(int type, boolean large) {
        return switch (type) {
            case LITERAL, INT16, UINT16 -> true;
            case INT32, UINT32 -> large;
            default -> false;
        };
    }

    private static Object literal(int v) {
        return switch (v) {
            case 0 -> NULL;
            case 1 -> Boolean.TRUE;
            case 2 -> Boolean.FALSE;
            default -> throw new BinlogDecodeException("unknown JSON literal " + v);
        };
    }

    private Object opaque(int mysqlType, int offset, int end) {
        long lengthAndStart = varLength(offset, end);
        int length = (int) (lengthAndStart >>> 32);
        int start = (int) lengthAndStart;
        ByteReader value = new ByteReader(data, start, start + length);
        switch (mysqlType) {
            case MysqlType.NEWDECIMAL -> {
                int precision = value.u8();
                int scale = value.u8();
                if (scale > precision || precision > 65) {
                    throw new BinlogDecodeException("invalid JSON DECIMAL(" + precision + "," + scale + ")");
                }
                return Decimals.decode(value, precision, scale);
            }
            case MysqlType.DATE, MysqlType.TIME, MysqlType.DATETIME, MysqlType.TIMESTAMP -> {
                if (length < 8) {
                    throw new BinlogDecodeException("JSON temporal value of " + length + " bytes");
                }
                return new Opaque(JsonText.packedTemporal(mysqlType, value.s64()));
            }
            default -> {
                return new Opaque("base64:type" + mysqlType + ":"
                        + Base64.getEncoder().encodeToString(value.bytes(length, 0)));
            }
        }
    }

    /**
     * A variable-length length (7 bits a byte, low first, at most 5 bytes) at {@code offset}, checked to fit
     * before {@code end}: where the data starts in the low 32 bits, its length in the high ones (one long, not
     * an array: this runs for every string of every document).
     */
    private long varLength(int offset, int end) {
        long length = 0;
        for (int i = 0; i < 5; i++) {
            int b = u8(offset + i, end);
            length |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                int start = offset + i + 1;
                return (long) checkRange(start, length, end) << 32 | start;
            }
        }
        throw new BinlogDecodeException("JSON length field longer than 5 bytes");
    }

    private static int checkRange(long start, long length, int end) {
        if (length < 0 || start + length > end) {
            throw new BinlogDecodeException("JSON value of " + length + " bytes at " + start
                    + " runs past its container");
        }
        return (int) length;
    }

    private int u8(int at, int end) {
        checkRange(at, 1, end);
        return data[at] & 0xff;
    }

    private int u16(int at, int end) {
        checkRange(at, 2, end);
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }

    private long u32(int at, int end) {
        checkRange(at, 4, end);
        return ((data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
                | (long) (data[at + 3] & 0xff) << 24);
    }

    private long i64(int at, int end) {
        checkRange(at, 8, end);
        return u32(at, end) | u32(at + 4, end) << 32;
    }
}
