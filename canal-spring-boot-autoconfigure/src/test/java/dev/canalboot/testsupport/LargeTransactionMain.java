package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TransactionBoundary;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

/**
 * Run in a JVM with a small heap by {@link dev.canalboot.binlog.LargeTransactionSmallHeapIT}: commits one
 * transaction of {@code rows} rows and only then starts consuming, so without back-pressure every decoded row would
 * sit in
 * memory at once. Prints {@code rows=N lastId=M maxHeapMiB=H} and exits 0 when all rows arrived in order.
 * Arguments: host port user password rootPassword rows.
 */
public final class LargeTransactionMain {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int rows = Integer.parseInt(args[5]);
        String url = "jdbc:mysql://" + host + ":" + port + "/?allowPublicKeyRetrieval=true";
        try (Connection c = DriverManager.getConnection(url, "root", args[4]); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS binlog_conn_big");
            s.execute("DROP TABLE IF EXISTS binlog_conn_big.t");
            s.execute("CREATE TABLE binlog_conn_big.t (id INT PRIMARY KEY, payload VARCHAR(100))");
        }
        BinlogSourceSettings settings = BinlogSourceSettings.builder("big", host, port, args[2], args[3])
                .serverId(424242).tls(TlsSettings.DISABLED).batchSize(500).queueCapacity(4)
                .heartbeatPeriod(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(120)).build();
        try (BinlogChangeSource source = new BinlogChangeSource(settings)) {
            source.start();
            try (Connection c = DriverManager.getConnection(url, "root", args[4]); Statement s = c.createStatement()) {
                s.execute("SET SESSION cte_max_recursion_depth = " + (rows + 1));
                s.execute("INSERT INTO binlog_conn_big.t (id, payload) WITH RECURSIVE n(i) AS"
                        + " (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ")"
                        + " SELECT i, RPAD(CONCAT('row-', i), 100, '.') FROM n");
            }
            // Consume only once reading has stopped: paused by back-pressure, or (without it) everything read
            // and held in memory.
            long stalledAt = -1;
            for (int quiet = 0; quiet < 3; ) {
                Thread.sleep(1000);
                long read = source.statistics().bytesRead();
                quiet = read == stalledAt ? quiet + 1 : 0;
                stalledAt = read;
            }
            System.out.println("reading stalled at " + stalledAt + " bytes with " + source.statistics().events() + " events decoded");
            long seen = 0;
            long lastId = 0;
            boolean committed = false;
            long maxHeap = 0;
            Runtime runtime = Runtime.getRuntime();
            while (!committed) {
                ChangeBatch batch = source.poll(Duration.ofSeconds(30));
                if (batch == null) {
                    throw new AssertionError("no batch within 30 s after " + seen + " rows");
                }
                for (ChangeEvent e : batch.events()) {
                    if (e instanceof RowChange r && r.table().equals("t")) {
                        int id = r.after().getInteger("id");
                        if (id != lastId + 1) {
                            throw new AssertionError("row " + id + " after " + lastId);
                        }
                        lastId = id;
                        seen++;
                    } else if (e instanceof TransactionBoundary t && t.kind() == TransactionBoundary.Kind.COMMIT
                            && seen > 0) {
                        committed = true;
                    }
                }
                source.ack(batch);
                maxHeap = Math.max(maxHeap, runtime.totalMemory() - runtime.freeMemory());
            }
            System.out.println("bytesAtStall=" + stalledAt + " rows=" + seen + " lastId=" + lastId + " maxHeapMiB=" + (maxHeap >> 20)
                    + " xmxMiB=" + (runtime.maxMemory() >> 20) + " bytesRead=" + source.statistics().bytesRead());
            if (seen != rows) {
                throw new AssertionError("expected " + rows + " rows, got " + seen);
            }
        }
    }
}
