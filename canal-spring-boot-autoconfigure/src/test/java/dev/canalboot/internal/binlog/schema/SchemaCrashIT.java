package dev.canalboot.internal.binlog.schema;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeType;
import dev.canalboot.testsupport.CrashLoop;
import dev.canalboot.testsupport.SchemaCrashConsumerMain;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the consuming JVM ({@link SchemaCrashConsumerMain}: binlog source, file checkpoint store with the schema
 * history) with SIGKILL at random moments while a seeded migration runs DDL and rows over several tables, and
 * starts it again each time, without column names in the table maps. Every row arrives with the names, types
 * and values it was written with (at least once; never one that was not written), and the last checkpoint's
 * history is the tables as information_schema has them: history and position stayed consistent across the kills.
 */
class SchemaCrashIT {

    private static final int KILLS = Integer.getInteger("schema.crash.kills", 3);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = GeneratedMigrationIT.Server.class, names = {"MYSQL_MINIMAL", "MARIADB_NO_LOG"})
    void historyAndPositionStayConsistentAcrossKills(GeneratedMigrationIT.Server which) throws Exception {
        long seed = Long.getLong("schema.seed", System.nanoTime());
        EmbeddedDatabase server = GeneratedMigrationIT.server(which);
        String db = "schema_crash_" + which.name().toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement st = c.createStatement()) {
            if (which.mariaDb()) {
                st.execute("SET GLOBAL binlog_row_metadata = NO_LOG");
            }
            try {
                run(which, server, st, db, seed);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " (repeat with -Dschema.seed=" + seed + "): " + t, t);
            } finally {
                if (which.mariaDb()) {
                    st.execute("SET GLOBAL binlog_row_metadata = FULL");
                }
            }
        }
    }

    private void run(GeneratedMigrationIT.Server which, EmbeddedDatabase server, Statement st, String db, long seed)
            throws Exception {
        st.execute("DROP DATABASE IF EXISTS " + db);
        var start = SchemaHistoryStartIT.binlogEnd(server);
        Path log = work.resolve("delivered.log");
        Path checkpoints = work.resolve("checkpoints");
        Path stop = work.resolve("stop");
        DatabaseUser user = server.users().get(0);
        String serverId = String.valueOf(7400 + which.ordinal());
        Random random = new Random(seed);
        CrashLoop.Launcher launcher = output -> CrashLoop.java(output, SchemaCrashConsumerMain.class, server.host(),
                String.valueOf(server.port()), user.name(), user.password(), serverId, checkpoints.toString(),
                log.toString(), db, start.file(), String.valueOf(start.position()), stop.toString());

        // The writer: the migration in small parts with pauses, so the kills fall while DDL and rows flow.
        Connection writerConnection = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(),
                server.rootPassword());
        GeneratedMigrationIT.Migration migration = new GeneratedMigrationIT.Migration(
                writerConnection.createStatement(), db, new Random(seed));
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        long began = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                // Until the kills are done (every kill falls while it writes), then a few parts more.
                for (int part = 0, after = 0; part < 100 && after < 3; part++) {
                    migration.run(6);
                    Thread.sleep(200);
                    after += killed.get() ? 1 : 0;
                }
            } catch (Exception e) {
                throw new IllegalStateException("migration failed", e);
            }
        });
        int kills = 0;
        int launches = 0;
        try {
            while (kills < KILLS && !writer.isDone()) {
                Path output = work.resolve("consumer-" + launches++ + ".out");
                Process consumer = launcher.launch(output);
                try {
                    long before = Files.exists(log) ? Files.size(log) : 0;
                    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    // Kill once this process delivered rows, at a random moment after that.
                    while (!Files.exists(log) || Files.size(log) <= before + "\nRUN\n".length()) {
                        assertThat(consumer.isAlive()).as("consumer %d alive; output:%n%s", launches,
                                Files.readString(output)).isTrue();
                        assertThat(System.nanoTime()).as("consumer %d delivered within 60 s", launches).isLessThan(guard);
                        Thread.sleep(10);
                    }
                    Thread.sleep(random.nextInt(400));
                } finally {
                    consumer.destroyForcibly().waitFor();
                }
                kills++;
            }
            killed.set(true);
            writer.get(3, TimeUnit.MINUTES);
            System.out.printf("%s: %d kills in %d ms%n", which, kills, (System.nanoTime() - began) / 1_000_000);
        } finally {
            writer.cancel(true);
        }
        assertThat(kills).as("kills while the migration ran").isEqualTo(KILLS);

        Set<String> expected = new HashSet<>();
        for (GeneratedMigrationIT.Written w : migration.written) {
            expected.add(SchemaCrashConsumerMain.line(w.table(), w.type(),
                    w.type() == ChangeType.DELETE ? w.before() : w.after()));
        }
        // The last consumer reads to the end and stops cleanly, saving its checkpoint.
        Path output = work.resolve("consumer-" + launches + ".out");
        Process last = launcher.launch(output);
        try {
            long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!delivered(log).containsAll(expected) && last.isAlive() && System.nanoTime() < guard) {
                Thread.sleep(200);
            }
            Files.createFile(stop);
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).as("last consumer stops; output:%n%s",
                    Files.readString(output)).isTrue();
        } finally {
            last.destroyForcibly().waitFor();
            writerConnection.close();
        }

        System.out.printf("%s: last consumer done at %d ms%n", which, (System.nanoTime() - began) / 1_000_000);
        Set<String> delivered = delivered(log);
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(delivered);
        Set<String> strange = new HashSet<>(delivered);
        strange.removeAll(expected);
        System.out.printf("%s seed %d: %d kills, %d statements (%d DDL), %d row events, %d distinct lines delivered%n",
                which, seed, kills, migration.statements, migration.ddl, migration.written.size(), delivered.size());
        assertThat(strange).as("rows delivered that were not written so (wrong shape?)").isEmpty();
        assertThat(missing).as("rows written but not delivered").isEmpty();

        Checkpoint checkpoint = new FileCheckpointStore(checkpoints).load("schema-crash").orElseThrow();
        SchemaState history = SchemaState.decode(checkpoint.schemaHistory());
        Map<String, List<String>> historyTables = new LinkedHashMap<>();
        history.tables.forEach((key, d) -> {
            if (key.schema().equals(db)) {
                historyTables.put(key.table(), d.columnNames());
            }
        });
        assertThat(history.unknown.keySet()).noneMatch(k -> k.schema().equals(db));
        assertThat(historyTables).as("the checkpoint's history against information_schema")
                .isEqualTo(informationSchema(st, db));
    }

    /** The complete lines of the log (a kill may tear the last line of a run). */
    private static Set<String> delivered(Path log) throws Exception {
        Set<String> lines = new HashSet<>();
        if (!Files.exists(log)) {
            return lines;
        }
        for (String line : Files.readAllLines(log)) {
            if (line.endsWith(" ;")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static Map<String, List<String>> informationSchema(Statement st, String db) throws Exception {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = '" + db + "' ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return tables;
    }
}
