package dev.canalboot.binlog.value;

import dev.canalboot.binlog.BinlogDecodeException;
import dev.canalboot.binlog.ZeroDatePolicy;
import dev.canalboot.binlog.event.Wire;
import dev.canalboot.model.Column;
import io.netty.buffer.ByteBuf;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link ValueDecoder} of one column from its table-map type and metadata and its model
 * {@link Column}, so that per-row decoding does no type dispatch.
 */
public final class ValueDecoders {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private ValueDecoders() {
    }

    /**
     * @param type      real table-map type ({@link MysqlType})
     * @param meta      table-map metadata as {@link dev.canalboot.binlog.event.TableMapEvent} normalises it
     * @param column    the model column (unsigned, elements, length)
     * @param charset   the Java charset of a character column, {@code null} for binary data
     * @param zeroDates what zero dates become
     */
    public static ValueDecoder of(int type, int meta, Column column, Charset charset, ZeroDatePolicy zeroDates) {
        boolean unsigned = column.unsigned();
        return switch (type) {
            case MysqlType.TINY -> unsigned ? in -> (int) in.readUnsignedByte() : in -> (int) in.readByte();
            case MysqlType.SHORT -> unsigned ? in -> in.readUnsignedShortLE() : in -> (int) in.readShortLE();
            case MysqlType.INT24 -> unsigned ? in -> in.readUnsignedMediumLE() : in -> in.readMediumLE();
            case MysqlType.LONG -> unsigned ? in -> in.readUnsignedIntLE() : in -> in.readIntLE();
            case MysqlType.LONGLONG -> unsigned ? ValueDecoders::unsignedLong : in -> in.readLongLE();
            case MysqlType.FLOAT -> in -> Float.intBitsToFloat(in.readIntLE());
            case MysqlType.DOUBLE -> in -> Double.longBitsToDouble(in.readLongLE());
            case MysqlType.NEWDECIMAL -> {
                int precision = meta >>> 8;
                int scale = meta & 0xff;
                if (precision == 0 || precision > 65 || scale > precision) {
                    throw new BinlogDecodeException("invalid DECIMAL(" + precision + "," + scale + ") metadata");
                }
                yield in -> Decimals.decode(in, precision, scale);
            }
            case MysqlType.YEAR -> in -> {
                int y = in.readUnsignedByte();
                return y == 0 ? 0 : 1900 + y;
            };
            case MysqlType.DATE, MysqlType.NEWDATE -> zeroChecked(Temporals::date, column, zeroDates);
            case MysqlType.DATETIME2 -> zeroChecked(in -> Temporals.datetime2(in, fsp(meta)), column, zeroDates);
            case MysqlType.DATETIME -> zeroChecked(Temporals::datetime, column, zeroDates);
            case MysqlType.TIMESTAMP2 -> zeroChecked(in -> Temporals.timestamp2(in, fsp(meta)), column, zeroDates);
            case MysqlType.TIMESTAMP -> zeroChecked(Temporals::timestamp, column, zeroDates);
            case MysqlType.TIME2 -> {
                int fsp = fsp(meta);
                yield in -> Temporals.time2(in, fsp);
            }
            case MysqlType.TIME -> Temporals::time;
            case MysqlType.BIT -> bit(column.length());
            case MysqlType.VARCHAR, MysqlType.VAR_STRING -> lengthPrefixed(meta < 256 ? 1 : 2, charset, 0);
            case MysqlType.STRING -> lengthPrefixed(meta < 256 ? 1 : 2, charset, charset == null ? meta : 0);
            case MysqlType.BLOB, MysqlType.TINY_BLOB, MysqlType.MEDIUM_BLOB, MysqlType.LONG_BLOB,
                 MysqlType.GEOMETRY -> lengthPrefixed(lengthBytes(meta), charset, 0);
            case MysqlType.JSON -> {
                int lengthBytes = lengthBytes(meta);
                yield in -> JsonBinary.toText(readPrefixed(in, lengthBytes));
            }
            case MysqlType.ENUM -> enumeration(meta, column.elements(), column);
            case MysqlType.SET -> set(meta, column.elements(), column);
            default -> throw new BinlogDecodeException("column " + column.name() + " has unsupported type "
                    + MysqlType.name(type));
        };
    }

    /** The length prefix size of BLOB/TEXT/JSON/GEOMETRY values: the table-map metadata, 1 to 4. */
    public static int lengthBytes(int meta) {
        if (meta < 1 || meta > 4) {
            throw new BinlogDecodeException("invalid length-prefix size " + meta);
        }
        return meta;
    }

    /** A value of {@code lengthBytes}-byte little-endian length then that many bytes, as a slice (consumed). */
    public static ByteBuf readPrefixed(ByteBuf in, int lengthBytes) {
        long length = switch (lengthBytes) {
            case 1 -> in.readUnsignedByte();
            case 2 -> in.readUnsignedShortLE();
            case 3 -> in.readUnsignedMediumLE();
            default -> in.readUnsignedIntLE();
        };
        return in.readSlice(Wire.checkLength(length, in, "value"));
    }

    private static int fsp(int meta) {
        if (meta > 6) {
            throw new BinlogDecodeException("invalid fractional seconds precision " + meta);
        }
        return meta;
    }

    private static Object unsignedLong(ByteBuf in) {
        long v = in.readLongLE();
        return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO_TO_64);
    }

    private static ValueDecoder zeroChecked(ValueDecoder decoder, Column column, ZeroDatePolicy zeroDates) {
        if (zeroDates == ZeroDatePolicy.NULL) {
            return decoder;
        }
        return in -> {
            Object v = decoder.decode(in);
            if (v == null) {
                throw new BinlogDecodeException("column " + column.name()
                        + " holds a zero or invalid date and zero dates are configured as errors");
            }
            return v;
        };
    }

    private static ValueDecoder bit(int bits) {
        int bytes = (bits + 7) >>> 3;
        if (bits == 1) {
            return in -> in.readByte() != 0;
        }
        return in -> {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | in.readUnsignedByte();
            }
            return v;
        };
    }

    /**
     * Strings and bytes with a 1- or 2-byte length. {@code padTo} > 0 pads BINARY(n) values back to n bytes:
     * the binlog drops their trailing zero bytes.
     */
    private static ValueDecoder lengthPrefixed(int lengthBytes, Charset charset, int padTo) {
        if (charset != null) {
            return in -> {
                int length = lengthBytes == 1 ? in.readUnsignedByte()
                        : lengthBytes == 2 ? in.readUnsignedShortLE()
                        : (int) Wire.checkLength(readLength(in, lengthBytes), in, "string");
                Wire.checkLength(length, in, "string");
                String s = in.toString(in.readerIndex(), length, charset);
                in.skipBytes(length);
                return s;
            };
        }
        return in -> {
            int length = lengthBytes == 1 ? in.readUnsignedByte()
                    : lengthBytes == 2 ? in.readUnsignedShortLE()
                    : Wire.checkLength(readLength(in, lengthBytes), in, "bytes");
            Wire.checkLength(length, in, "bytes");
            byte[] bytes = new byte[Math.max(length, padTo)];
            in.readBytes(bytes, 0, length);
            return bytes;
        };
    }

    private static long readLength(ByteBuf in, int lengthBytes) {
        return lengthBytes == 3 ? in.readUnsignedMediumLE() : in.readUnsignedIntLE();
    }

    private static ValueDecoder enumeration(int packLength, List<String> elements, Column column) {
        String[] names = elements.toArray(String[]::new);
        if (packLength != 1 && packLength != 2) {
            throw new BinlogDecodeException("ENUM column " + column.name() + " has pack length " + packLength);
        }
        return in -> {
            int index = packLength == 1 ? in.readUnsignedByte() : in.readUnsignedShortLE();
            if (index == 0) {
                return ""; // the error value MySQL stores for invalid input in non-strict mode
            }
            if (index > names.length) {
                throw new BinlogDecodeException("ENUM column " + column.name() + " holds index " + index
                        + " but has " + names.length + " elements");
            }
            return names[index - 1];
        };
    }

    private static ValueDecoder set(int packLength, List<String> elements, Column column) {
        String[] names = elements.toArray(String[]::new);
        if (packLength < 1 || packLength > 8) {
            throw new BinlogDecodeException("SET column " + column.name() + " has pack length " + packLength);
        }
        return in -> {
            long bits = 0;
            for (int i = 0; i < packLength; i++) {
                bits |= (long) in.readUnsignedByte() << (8 * i);
            }
            Set<String> set = new LinkedHashSet<>();
            for (int i = 0; bits != 0; i++, bits >>>= 1) {
                if ((bits & 1) != 0) {
                    if (i >= names.length) {
                        throw new BinlogDecodeException("SET column " + column.name() + " has bit " + i
                                + " set but " + names.length + " elements");
                    }
                    set.add(names[i]);
                }
            }
            return java.util.Collections.unmodifiableSet(set);
        };
    }
}
