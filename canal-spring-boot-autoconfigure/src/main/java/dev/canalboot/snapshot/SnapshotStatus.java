package dev.canalboot.snapshot;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a snapshot has done so far, per table: for the actuator endpoint, meters and logs. Thread-safe. */
public final class SnapshotStatus {

    /** One table's progress. */
    public static final class Table {
        private final String name;
        private final long estimatedRows;
        private final long startNanos = System.nanoTime();
        private final long rowsAtStart;
        private volatile long rowsDone;
        private volatile long chunks;
        private volatile long endNanos;

        Table(String name, long estimatedRows, long rowsAtStart) {
            this.name = name;
            this.estimatedRows = estimatedRows;
            this.rowsAtStart = rowsAtStart;
            this.rowsDone = rowsAtStart;
        }

        synchronized void chunk(int rows) {
            rowsDone += rows;
            chunks++;
        }

        void end(long rows) {
            rowsDone = rows;
            endNanos = System.nanoTime();
        }

        public String name() {
            return name;
        }

        /** The server's estimate (information_schema.TABLES.TABLE_ROWS): InnoDB's is approximate. */
        public long estimatedRows() {
            return estimatedRows;
        }

        /** Rows read and delivered (or dropped for a newer stream change), including those of earlier runs. */
        public long rowsDone() {
            return rowsDone;
        }

        public long chunks() {
            return chunks;
        }

        public boolean done() {
            return endNanos != 0;
        }

        public Duration elapsed() {
            return Duration.ofNanos((endNanos != 0 ? endNanos : System.nanoTime()) - startNanos);
        }

        /** Rows per second in this run. */
        public double rate() {
            double seconds = elapsed().toNanos() / 1e9;
            return seconds <= 0 ? 0 : (rowsDone - rowsAtStart) / seconds;
        }

        /** The estimated time left, or null when it cannot be told. */
        public Duration eta() {
            double rate = rate();
            if (done() || rate <= 0 || estimatedRows <= rowsDone) {
                return done() ? Duration.ZERO : null;
            }
            return Duration.ofMillis((long) ((estimatedRows - rowsDone) / rate * 1000));
        }

        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rowsDone", rowsDone);
            m.put("estimatedRows", estimatedRows);
            m.put("chunks", chunks);
            m.put("rowsPerSecond", Math.round(rate()));
            Duration eta = eta();
            m.put("eta", eta == null ? null : eta.toString());
            m.put("done", done());
            return m;
        }
    }

    private final List<String> planned;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private volatile String state = "RUNNING";
    private volatile String error;

    SnapshotStatus(List<String> planned) {
        this.planned = List.copyOf(planned);
    }

    synchronized Table start(String name, long estimate, long rowsAtStart) {
        Table t = new Table(name, estimate, rowsAtStart);
        tables.put(name, t);
        return t;
    }

    void ended(Throwable failure) {
        state = failure == null ? "DONE" : "FAILED";
        error = failure == null ? null : failure.getMessage();
    }

    /**
     * RUNNING, DONE or FAILED. DONE from the moment the source hands out the batch whose position says the snapshot
     * is complete (set in that poll, before it returns), so a consumer that polled that batch sees it already.
     */
    public String state() {
        return state;
    }

    public synchronized List<Table> tables() {
        return new ArrayList<>(tables.values());
    }

    /** {@code schema.table} of the tables this snapshot reads (when resumed: those left at the resume). */
    public List<String> planned() {
        return planned;
    }

    /** The named table's progress, or null before it starts. */
    public synchronized @Nullable Table table(String name) {
        return tables.get(name);
    }

    /** Tables read to their end. */
    public long tablesDone() {
        return tables().stream().filter(Table::done).count();
    }

    /** Rows read so far (of resumed tables, including those of earlier runs). */
    public long rowsDone() {
        return tables().stream().mapToLong(Table::rowsDone).sum();
    }

    /** Chunks read in this run. */
    public long chunks() {
        return tables().stream().mapToLong(Table::chunks).sum();
    }

    /** For the actuator endpoint. */
    public synchronized Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        if (error != null) {
            m.put("error", error);
        }
        m.put("tables", planned);
        Map<String, Object> perTable = new LinkedHashMap<>();
        tables.forEach((name, t) -> perTable.put(name, t.describe()));
        m.put("progress", perTable);
        return m;
    }
}
