package dev.canalboot.internal.mysql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MySQL 9's {@code VECTOR} values: the server stores, logs and sends a vector as its 4-byte IEEE 754 floats in
 * little-endian order, one after the other; the model gives them as a {@code float[]}.
 */
public final class Vectors {

    private Vectors() {
    }

    /** The floats of a vector's stored bytes; a length that is not a multiple of 4 is an error naming the column. */
    public static float[] fromBytes(byte[] bytes, String column) {
        if ((bytes.length & 3) != 0) {
            throw new IllegalArgumentException("VECTOR column " + column + " has a value of " + bytes.length
                    + " bytes, not a whole number of 4-byte floats");
        }
        float[] floats = new float[bytes.length >>> 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
        return floats;
    }

    /** The stored bytes of a vector: the inverse of {@link #fromBytes}. */
    public static byte[] toBytes(float[] floats) {
        ByteBuffer buffer = ByteBuffer.allocate(floats.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(floats);
        return buffer.array();
    }
}
