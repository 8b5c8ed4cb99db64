package dev.canalboot.bench.measure;

/**
 * Where listeners put the values they read, so that the JIT cannot drop the reads. Each contender's listener
 * thread owns one instance.
 */
public final class Sink {

    private long state;

    /** Touches a value: its class and, for strings and byte arrays, its length. */
    public void consume(Object value) {
        if (value == null) {
            state += 1;
        } else if (value instanceof String s) {
            state += s.length();
        } else if (value instanceof byte[] b) {
            state += b.length;
        } else {
            state += value.getClass().hashCode();
        }
    }

    public void consume(long value) {
        state += value;
    }

    public long state() {
        return state;
    }
}
