package dev.canalboot.binlog;

/**
 * Which thread turns row images into typed values. The connection's thread reads the binlog; the consumer (the
 * listener container's thread, in {@code poll}) dispatches to listeners. Either way the rows, their order, the
 * batches and the errors are the same: an image that does not decode fails the source, naming its place in the
 * binlog, before anything of its batch is delivered.
 */
public enum RowDecoding {

    /**
     * The connection's thread decodes while batches wait in the queue; while the consumer waits for work, it
     * leaves the rows it reads for the consumer to decode. Both threads share the work when the listeners are
     * fast, and the listeners' thread is not loaded when they are slow; the rows left over are copied and stepped
     * over once more, which costs CPU (benchmarks/PROFILE.md).
     */
    ADAPTIVE,

    /**
     * Always on the connection's thread. The default: the least CPU per row, cold and warm (benchmarks/PROFILE.md),
     * as nothing is copied or stepped over twice.
     */
    CONNECTION_THREAD,

    /**
     * Always on the consumer's thread: the connection's thread only steps over each row image to count and
     * check it.
     */
    CONSUMER_THREAD
}
