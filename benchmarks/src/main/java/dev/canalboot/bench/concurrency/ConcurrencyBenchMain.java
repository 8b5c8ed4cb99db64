package dev.canalboot.bench.concurrency;

import dev.canalboot.bench.BenchOptions;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.Servers;
import dev.canalboot.bench.contender.DebeziumContender;
import dev.canalboot.bench.contender.ListenerHarness;
import dev.canalboot.bench.contender.OurBinlogContender;
import dev.canalboot.bench.contender.RunContext;
import dev.canalboot.bench.jvm.ChildJvm;
import dev.canalboot.bench.jvm.RunReport;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.RowHandler;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.model.Row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Listener concurrency, measured: one embedded MySQL 8.0.31, one generated binlog of {@code 100,000 × --scale}
 * inserts (the narrow workload), read from its start by
 * <ol>
 * <li>our binlog source under the listener container at each {@code --concurrency} level (key ordering), with a
 * listener that waits {@code --park-micros} per row ({@link LockSupport#parkNanos}), standing for I/O;</li>
 * <li>the same with a listener that does nothing, at concurrency 1 (the direct path, as before listener
 * concurrency existed) and at the largest level: what the machinery costs when the listener is free;</li>
 * <li>Debezium's embedded engine (contender 7, in its own JVM) with the same waiting consumer;</li>
 * <li>the mirror use case: each row upserted into a second embedded MySQL through a HikariCP pool, at each
 * {@code --mirror-concurrency} level; the mirror table is checked equal to the source table after each run.</li>
 * </ol>
 * Rows/s count from the first row to the last. Writes a Markdown table and a PNG chart of rows/s against
 * concurrency under {@code --out}.
 */
public final class ConcurrencyBenchMain {

    static final String USAGE = """
            Options (all optional):
              --scale=1                     workload size factor (1 = 100,000 rows)
              --concurrency=1,4,16,64,256   listener concurrency levels with the waiting listener
              --park-micros=1000            what the listener waits per row
              --debezium=true               Debezium's embedded engine with the same listener (own JVM)
              --mirror-concurrency=1,16     levels of the mirror run (upserts into a second MySQL); none: skip it
              --mirror-redo-mb=100          the mirror server's redo log capacity (MySQL's default; the embedded
                                            servers' own is 8 MB, small for a write-heavy server)
              --mirror-pool=0               the mirror's HikariCP pool size; 0: concurrency + 1
              --mirror-statement-cache=true server-side prepared statements, cached per connection (false:
                                            Connector/J's defaults, the upsert parsed again for every row)
              --mysql=host:port:user:password   use this MySQL instead of an embedded one
              --out=target/concurrency      directory of concurrency-results.md and concurrency-rows-per-second.png
            """;
    static final long BASE_ROWS = 100_000;

    /** One measured run; {@code cpu} is measured for the mirror runs only, else null. */
    record Result(String contender, int concurrency, String listener, long rows, double seconds, MirrorCpu cpu) {
        Result(String contender, int concurrency, String listener, long rows, double seconds) {
            this(contender, concurrency, listener, rows, seconds, null);
        }

        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * What each process spent on a mirror run (start to end of the run, connect included): CPU µs per row, the
     * cores they kept busy together, the pool size and the cores of the machine.
     */
    record MirrorCpu(ProcessCpu.PerRow perRow, int poolSize, int cores) {
        /** The rows/s the machine could reach at this CPU cost per row with every core busy. */
        double ceilingRowsPerSecond() {
            return cores * 1e6 / perRow.totalMicros();
        }
    }

    private final BenchServer server;
    private final GeneratedBinlog binlog;
    private long nextServerId = 6100;

    private ConcurrencyBenchMain(BenchServer server, GeneratedBinlog binlog) {
        this.server = server;
        this.binlog = binlog;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> values = BenchOptions.arguments(USAGE, args);
        double scale = BenchOptions.scale(values);
        String levelSpec = BenchOptions.take(values, "concurrency", "1,4,16,64,256");
        List<Integer> levels = levelSpec.equals("none") ? List.of() : ints(levelSpec);
        long parkNanos = Long.parseLong(BenchOptions.take(values, "park-micros", "1000")) * 1000;
        boolean debezium = Boolean.parseBoolean(BenchOptions.take(values, "debezium", "true"));
        String mirrorSpec = BenchOptions.take(values, "mirror-concurrency", "1,16");
        List<Integer> mirrorLevels = mirrorSpec.equals("none") ? List.of() : ints(mirrorSpec);
        long mirrorRedoMb = Long.parseLong(BenchOptions.take(values, "mirror-redo-mb", "100"));
        int mirrorPool = Integer.parseInt(BenchOptions.take(values, "mirror-pool", "0"));
        boolean statementCache = Boolean.parseBoolean(BenchOptions.take(values, "mirror-statement-cache", "true"));
        String external = values.remove("mysql");
        Path out = Path.of(BenchOptions.take(values, "out", "target/concurrency"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s) " + values.keySet() + "\n" + USAGE);
        }
        long rows = Math.max(1_000, Math.round(BASE_ROWS * scale));
        BenchServer server = Servers.start(BenchServer.Flavor.MYSQL,
                external == null ? BenchOptions.parse("--servers=mysql") : BenchOptions.parse("--servers=mysql", "--mysql=" + external));
        List<Result> results = new ArrayList<>();
        try {
            System.out.printf("Generating %,d rows on %s%n", rows, server.label());
            ConcurrencyBenchMain bench = new ConcurrencyBenchMain(server, Workload.NARROW.generate(server, rows));
            String waiting = "waits " + parkNanos / 1000 + " µs/row";
            for (int level : levels) {
                results.add(bench.ours(level, waiting, context -> new WaitingListener(context, parkNanos)));
            }
            int largest = levels.stream().mapToInt(Integer::intValue).max().orElse(16);
            for (int level : levels.isEmpty() ? List.<Integer>of() : List.of(1, largest)) {
                results.add(bench.ours(level, "does nothing", context -> new WaitingListener(context, 0)));
            }
            if (debezium) {
                results.add(bench.debezium(parkNanos, waiting));
            }
            if (!mirrorLevels.isEmpty()) {
                results.addAll(bench.mirror(mirrorLevels, mirrorRedoMb, mirrorPool, statementCache));
            }
        } finally {
            server.close();
        }
        Files.createDirectories(out);
        String table = ConcurrencyTable.markdown(results, rows) + ConcurrencyTable.mirrorCpu(results);
        System.out.println(table);
        Files.writeString(out.resolve("concurrency-results.md"), table);
        ConcurrencyChart.write(out.resolve("concurrency-rows-per-second.png"), results);
        System.out.println("Wrote " + out.toAbsolutePath().resolve("concurrency-results.md") + " and "
                + out.toAbsolutePath().resolve("concurrency-rows-per-second.png"));
    }

    /** Creates the listener of one run. */
    interface ListenerFactory {
        RowHandler<Row> create(RunContext context) throws Exception;
    }

    /** Our binlog source and container at {@code concurrency} (key ordering) with the listener made by {@code factory}. */
    Result ours(int concurrency, String listenerLabel, ListenerFactory factory) throws Exception {
        return ours("ours", concurrency, listenerLabel, factory);
    }

    private Result ours(String contender, int concurrency, String listenerLabel, ListenerFactory factory) throws Exception {
        RunContext context = new RunContext(server, binlog, nextServerId++, Duration.ofMinutes(30));
        BinlogChangeSource source = new BinlogChangeSource(OurBinlogContender.settings(context, "bench-concurrency",
                new StartPosition.FilePosition(binlog.start().file(), binlog.start().position())));
        ContainerSettings settings = ContainerSettings.defaults().withConcurrency(
                new ListenerConcurrency(concurrency, ListenerConcurrency.Ordering.KEY, 16));
        ListenerHarness.run(source, context, factory.create(context), settings);
        Result result = new Result(contender, concurrency, listenerLabel, context.deliveredRows(),
                (context.endNanos() - context.firstRowNanos()) / 1e9);
        System.out.printf(Locale.ROOT, "%s, concurrency %d, listener %s: %,.0f rows/s%n", contender, concurrency,
                listenerLabel, result.rowsPerSecond());
        return result;
    }

    /** Debezium's embedded engine in its own JVM (its binlog library clashes with another contender's). */
    private Result debezium(long parkNanos, String listenerLabel) throws Exception {
        try (ChildJvm child = ChildJvm.start(DebeziumContender.ID, server, binlog, 6900,
                List.of("-Xmx1g", "-Dbench.listener.park.nanos=" + parkNanos))) {
            RunReport report = child.run(binlog.rows(), null, Duration.ofMinutes(30));
            if (!report.ok()) {
                throw new IllegalStateException("Debezium run failed: " + report.error());
            }
            double seconds = (report.nanos() - report.firstRowNanos()) / 1e9;
            Result result = new Result("Debezium embedded 3.6.1.Final", 1, listenerLabel, report.rows(), seconds);
            System.out.printf(Locale.ROOT, "Debezium, listener %s: %,.0f rows/s%n", listenerLabel, result.rowsPerSecond());
            return result;
        }
    }

    /**
     * The mirror use case on a second embedded MySQL: one run per level, the mirror checked equal after each; the
     * CPU of the harness JVM and of both servers is measured over each run.
     */
    private List<Result> mirror(List<Integer> levels, long redoMb, int poolSize, boolean statementCache)
            throws Exception {
        List<Result> results = new ArrayList<>();
        try (EmbeddedMySql target = EmbeddedMySql.builder()
                .serverOption("--sync-binlog=0", "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin",
                        "--innodb-redo-log-capacity=" + redoMb * 1024 * 1024).start()) {
            Map<String, Long> pids = new java.util.LinkedHashMap<>();
            pids.put("harness JVM", ProcessHandle.current().pid());
            ProcessCpu.serverPid(server.port()).ifPresent(pid -> pids.put("source mysqld", pid));
            ProcessCpu.serverPid(target.port()).ifPresent(pid -> pids.put("mirror mysqld", pid));
            ProcessCpu cpu = new ProcessCpu(pids);
            for (int level : levels) {
                MirrorTable.create(target);
                int pool = poolSize > 0 ? poolSize : level + 1;
                try (MirrorTable mirror = new MirrorTable(target, pool, statementCache)) {
                    Map<String, Long> before = cpu.sample();
                    long startNanos = System.nanoTime();
                    Result result = ours("ours, mirror", level, "upserts into a second MySQL (HikariCP)",
                            context -> mirror.listener(context));
                    double seconds = (System.nanoTime() - startNanos) / 1e9;
                    MirrorCpu used = new MirrorCpu(ProcessCpu.perRow(before, cpu.sample(), result.rows(), seconds),
                            pool, Runtime.getRuntime().availableProcessors());
                    System.out.println(ConcurrencyTable.mirrorCpuLine(level, used));
                    results.add(new Result(result.contender(), result.concurrency(), result.listener(), result.rows(),
                            result.seconds(), used));
                    mirror.assertEqualTo(server);
                }
            }
        }
        return results;
    }

    private static List<Integer> ints(String csv) {
        return BenchOptions.list(csv).stream().map(Integer::parseInt).toList();
    }

    /** Waits {@code parkNanos} per row (0: returns at once), then counts it. */
    record WaitingListener(RunContext context, long parkNanos) implements RowHandler<Row> {
        @Override
        public void onInsert(Row row) {
            handled();
        }

        @Override
        public void onUpdate(Row before, Row after) {
            handled();
        }

        @Override
        public void onDelete(Row row) {
            handled();
        }

        private void handled() {
            if (parkNanos > 0) {
                LockSupport.parkNanos(parkNanos);
            }
            context.delivered(1);
        }
    }
}
