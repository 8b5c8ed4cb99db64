package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.mysql.MysqlCharsets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;

/**
 * A read position over the row images of one rows event, held in a byte array. Row decoding reads from an
 * array rather than from the network {@link ByteBuf}: every {@code ByteBuf} accessor checks the reference
 * count and bounds and may go through a wrapper, which was most of the cost of decoding a narrow row. Each
 * read checks that its bytes lie before the limit, so a truncated or corrupt value is a
 * {@link BinlogDecodeException}, never bytes of something else.
 */
public final class ByteReader {

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    private final int limit;
    private int position;

    /** Reads {@code data} from {@code position} up to (not including) {@code limit}. */
    public ByteReader(byte[] data, int position, int limit) {
        if (position < 0 || limit > data.length || position > limit) {
            throw new IllegalArgumentException("range " + position + ".." + limit + " outside " + data.length + " bytes");
        }
        this.data = data;
        this.position = position;
        this.limit = limit;
    }

    /**
     * The readable bytes of {@code buf} (not consumed): its backing array when it has one, otherwise a copy
     * into {@code scratch} when that is large enough, else into a new array.
     */
    public static ByteReader of(ByteBuf buf, byte[] scratch) {
        int length = buf.readableBytes();
        if (buf.hasArray()) {
            int start = buf.arrayOffset() + buf.readerIndex();
            return new ByteReader(buf.array(), start, start + length);
        }
        byte[] into = scratch != null && scratch.length >= length ? scratch : new byte[length];
        buf.getBytes(buf.readerIndex(), into, 0, length);
        return new ByteReader(into, 0, length);
    }

    /** The readable bytes of {@code buf} (not consumed). */
    public static ByteReader of(ByteBuf buf) {
        return of(buf, null);
    }

    public static ByteReader of(byte... bytes) {
        return new ByteReader(bytes, 0, bytes.length);
    }

    /** The bytes left, in an array of their own; nothing is consumed. */
    public byte[] copyRemaining() {
        return java.util.Arrays.copyOfRange(data, position, limit);
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    public int remaining() {
        return limit - position;
    }

    /** Checks that {@code n} bytes remain, advances past them and returns where they start in {@link #array()}. */
    int take(int n) {
        int p = position;
        if (n < 0 || n > limit - p) {
            throw pastTheEnd(n);
        }
        position = p + n;
        return p;
    }

    /** The array {@link #take(int)} offsets refer to. */
    byte[] array() {
        return data;
    }

    private BinlogDecodeException pastTheEnd(long n) {
        return new BinlogDecodeException("value of " + n + " bytes exceeds the " + (limit - position)
                + " bytes left in the event");
    }

    public void skip(int n) {
        take(n);
    }

    /** Bit {@code index} of the little-endian bitmap that starts at absolute offset {@code base} (see {@link #take}). */
    boolean bit(int base, int index) {
        return (data[base + (index >>> 3)] & (1 << (index & 7))) != 0;
    }

    public int u8() {
        return data[take(1)] & 0xff;
    }

    public int s8() {
        return data[take(1)];
    }

    public int u16() {
        return (short) SHORT_LE.get(data, take(2)) & 0xffff;
    }

    public int s16() {
        return (short) SHORT_LE.get(data, take(2));
    }

    public int u24() {
        int p = take(3);
        return (data[p] & 0xff) | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff) << 16;
    }

    public int s24() {
        return u24() << 8 >> 8;
    }

    public int s32() {
        return (int) INT_LE.get(data, take(4));
    }

    public long u32() {
        return s32() & 0xffffffffL;
    }

    public long s64() {
        return (long) LONG_LE.get(data, take(8));
    }

    public int s16be() {
        return (short) SHORT_BE.get(data, take(2));
    }

    public int u16be() {
        return s16be() & 0xffff;
    }

    public int s24be() {
        return u24be() << 8 >> 8;
    }

    public int u24be() {
        int p = take(3);
        return (data[p] & 0xff) << 16 | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff);
    }

    public long u32be() {
        return (int) INT_BE.get(data, take(4)) & 0xffffffffL;
    }

    /** {@code bytes} (1 to 8) big-endian bytes as an unsigned number. */
    public long unsignedBE(int bytes) {
        int p = take(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (data[p + i] & 0xff);
        }
        return v;
    }

    /** {@code bytes} (1 to 8) little-endian bytes as an unsigned number. */
    public long unsignedLE(int bytes) {
        int p = take(bytes);
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (data[p + i] & 0xff);
        }
        return v;
    }

    /** A little-endian length of {@code lengthBytes} (1 to 4) bytes, checked against the bytes that follow it. */
    public int length(int lengthBytes) {
        long length = switch (lengthBytes) {
            case 1 -> u8();
            case 2 -> u16();
            case 3 -> u24();
            default -> u32();
        };
        if (length > limit - position) {
            throw pastTheEnd(length);
        }
        return (int) length;
    }

    public String string(int length, Charset charset) {
        return MysqlCharsets.decode(data, take(length), length, charset);
    }

    /**
     * A length-encoded integer of the client/server protocol (1, 3, 4 or 9 bytes), or -1 for the {@code 0xfb} prefix
     * (SQL NULL in a text-protocol row).
     */
    public long lengthEncodedOrNull() {
        int first = u8();
        if (first < 0xfb) {
            return first;
        }
        return switch (first) {
            case 0xfb -> -1;
            case 0xfc -> u16();
            case 0xfd -> u24();
            case 0xfe -> s64();
            default -> throw new BinlogDecodeException("invalid length-encoded integer prefix 0x"
                    + Integer.toHexString(first));
        };
    }

    /** {@code length} bytes in an array of at least {@code minSize} bytes, zero-padded. */
    public byte[] bytes(int length, int minSize) {
        int p = take(length);
        byte[] bytes = new byte[Math.max(length, minSize)];
        System.arraycopy(data, p, bytes, 0, length);
        return bytes;
    }

    /** The bytes left as a buffer over the same array, not consumed: for the few formats shared with events. */
    public ByteBuf rest() {
        return Unpooled.wrappedBuffer(data, position, limit - position);
    }

    /** The next {@code length} bytes as a buffer over the same array (consumed here, not copied). */
    public ByteBuf slice(int length) {
        return Unpooled.wrappedBuffer(data, take(length), length);
    }
}
