package dev.canalboot.bench.contender;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.measure.AllocationMeter;
import dev.canalboot.bench.workload.GeneratedBinlog;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One contender run: what to read, and the finish line. {@link #delivered(long)} is called by the contender's
 * listener for each row change it received; the row that completes the workload stops the clock and takes the
 * allocation reading before anything shuts down.
 */
public final class RunContext {

    private final BenchServer server;
    private final GeneratedBinlog binlog;
    private final long replicaServerId;
    private final Duration timeout;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long endNanos;
    private volatile long firstRowNanos;
    private volatile long firstRowCpuNanos;
    private volatile long endAllocatedBytes;
    private volatile long endCpuNanos;
    private long cpuStart;
    private volatile java.util.Map<Long, Long> allocationStart = java.util.Map.of();

    public RunContext(BenchServer server, GeneratedBinlog binlog, long replicaServerId, Duration timeout) {
        this.server = server;
        this.binlog = binlog;
        this.replicaServerId = replicaServerId;
        this.timeout = timeout;
    }

    public BenchServer server() {
        return server;
    }

    public GeneratedBinlog binlog() {
        return binlog;
    }

    public String schema() {
        return dev.canalboot.bench.workload.Workload.SCHEMA;
    }

    public String table() {
        return binlog.workload().table();
    }

    public long expectedRows() {
        return binlog.rows();
    }

    /** A server id no other replica of this run uses. */
    public long replicaServerId() {
        return replicaServerId;
    }

    /** {@code rows} more row changes reached the listener. */
    public void delivered(long rows) {
        if (firstRowNanos == 0) {
            firstRowNanos = System.nanoTime();
            firstRowCpuNanos = AllocationMeter.processCpuNanos() - cpuStart;
        }
        long total = delivered.addAndGet(rows);
        if (total >= binlog.rows() && done.getCount() > 0) {
            endNanos = System.nanoTime();
            endAllocatedBytes = AllocationMeter.bytesSince(allocationStart);
            endCpuNanos = AllocationMeter.processCpuNanos() - cpuStart;
            done.countDown();
        }
    }

    /** The contender failed asynchronously (on its own thread): the run stops with this error. */
    public void fail(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            done.countDown();
        }
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Waits for the last row; throws the contender's failure, or a timeout naming how far it got. */
    public void awaitDone() throws Exception {
        awaitDone(() -> null);
    }

    /**
     * Like {@link #awaitDone()}, also asking {@code failureProbe} a few times a second whether the contender
     * failed in a way it does not report itself (e.g. a listener container that stopped on an error).
     */
    public void awaitDone(java.util.function.Supplier<Throwable> failureProbe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.await(200, TimeUnit.MILLISECONDS)) {
            Throwable probed = failureProbe.get();
            if (probed != null) {
                fail(probed);
            } else if (System.nanoTime() > deadline) {
                break;
            }
        }
        if (!isDone()) {
            throw new TimeoutException("Delivered " + delivered.get() + " of " + binlog.rows() + " rows of "
                    + binlog.workload().qualifiedTable() + " within " + timeout);
        }
        Throwable error = failure.get();
        if (error != null) {
            if (error instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(error);
        }
    }

    /** Starts the clock of allocation (the runner calls it right before the contender starts). */
    public void startAllocationMeter() {
        allocationStart = AllocationMeter.start();
        cpuStart = AllocationMeter.processCpuNanos();
    }

    public long deliveredRows() {
        return delivered.get();
    }

    public long endNanos() {
        return endNanos;
    }

    /** {@link System#nanoTime()} when the first row reached the listener, or 0 before. */
    public long firstRowNanos() {
        return firstRowNanos;
    }

    /** CPU time of the whole process from the contender's start to its first row, or 0 before. */
    public long firstRowCpuNanos() {
        return firstRowCpuNanos;
    }

    public long endAllocatedBytes() {
        return endAllocatedBytes;
    }

    public long endCpuNanos() {
        return endCpuNanos;
    }

    public Throwable failure() {
        return failure.get();
    }
}
