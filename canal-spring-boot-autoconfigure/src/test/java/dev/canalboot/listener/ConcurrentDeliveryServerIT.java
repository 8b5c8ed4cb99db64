package dev.canalboot.listener;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalPassword;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listener concurrency over real servers: per-key order with 1, 4 and 64 workers while a writer updates a few
 * keys many times (primary-key changes included), read by the binlog source from MySQL 8.0.31 and MariaDB 11.4.5
 * and by the Canal source through a Canal 1.1.7 server; and a stored checkpoint that never passes a row still
 * being handled while the other keys go on.
 */
class ConcurrentDeliveryServerIT {

    static final String SCHEMA = "concurrent_delivery";
    static final String TABLE = SCHEMA + ".items";
    static final String CANAL_PASSWORD = "concurrent-pw";
    static final int KEYS = 8;

    EmbeddedDatabase server = TestServers.mysql();
    final List<CanalListenerContainer> containers = new ArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        containers.forEach(CanalListenerContainer::stop);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private void createTable(EmbeddedDatabase database) {
        server = database;
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA,
                "DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, v INT NOT NULL)");
    }

    private BinlogSourceSettings settings(long serverId) {
        DatabaseUser user = server.users().get(0);
        return BinlogSourceSettings.builder("main", server.host(), server.port(), user.name(), user.password())
                .serverId(serverId)
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .build();
    }

    /** The source of {@code product}: the binlog source on MySQL or MariaDB, or the Canal source on MySQL. */
    private ChangeSource source(String product, long serverId) {
        createTable(product.equals("mariadb") ? TestServers.mariadb() : TestServers.mysql());
        if (!product.equals("canal")) {
            return new BinlogChangeSource(settings(serverId));
        }
        EmbeddedCanalServer canal = EmbeddedCanalServer.builder(server).destination(SCHEMA + "_" + serverId)
                .filter(SCHEMA + "\\..*").credentials("canal", CanalPassword.serverHash(CANAL_PASSWORD)).start();
        closeables.add(canal);
        return new CanalChangeSource(CanalSettings.builder("main", canal.destination())
                .address(canal.host() + ":" + canal.port())
                .credentials("canal", CANAL_PASSWORD)
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .serverZone(ZoneId.systemDefault())
                .build());
    }

    static Stream<Arguments> productsAndWorkers() {
        return Stream.of("mysql", "mariadb", "canal")
                .flatMap(product -> Stream.of(1, 4, 64).map(workers -> Arguments.of(product, workers)));
    }

    /** One container over {@code source} with one row listener on the table. */
    private CanalListenerContainer start(ChangeSource source, int workers, Consumer<RowChange> listener) {
        EndpointInvoker invoker = new EndpointInvoker() {
            @Override
            public Kind kind() {
                return Kind.ROW;
            }

            @Override
            public void invoke(ChangeEvent event) {
                listener.accept((RowChange) event);
            }

            @Override
            public void invokeBatch(List<RowChange> rows) {
                throw new UnsupportedOperationException();
            }
        };
        ListenerEndpoint endpoint = new ListenerEndpoint("items", "test#items", List.of(TablePattern.parse(TABLE)),
                Set.of(), "", invoker);
        CanalListenerContainer container = new CanalListenerContainer(source, List.of(endpoint),
                ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(200))
                        .withConcurrency(new ListenerConcurrency(workers, Ordering.KEY, 16)));
        containers.add(container);
        container.start();
        await(() -> source.state() == SourceState.CONNECTED, "source connected");
        return container;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(SCHEMA), server.rootUser(), server.rootPassword());
    }

    private static List<Long> keys(RowChange change) {
        List<Long> keys = new ArrayList<>();
        if (change.before() != null) {
            keys.add(((Number) change.before().get("id")).longValue());
        }
        if (change.after() != null) {
            long after = ((Number) change.after().get("id")).longValue();
            if (!keys.contains(after)) {
                keys.add(after);
            }
        }
        return keys;
    }

    @ParameterizedTest(name = "{0}, {1} workers")
    @MethodSource("productsAndWorkers")
    void eachKeySeesItsChangesInBinlogOrderIncludingPrimaryKeyChanges(String product, int workers) throws Exception {
        Map<Long, List<Integer>> seen = new ConcurrentHashMap<>();
        Set<Long> busy = ConcurrentHashMap.newKeySet();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        AtomicInteger rows = new AtomicInteger();
        Random jitter = new Random(workers);
        start(source(product, 9100 + workers + (product.equals("mariadb") ? 100 : 0)), workers, change -> {
            List<Long> keys = keys(change);
            keys.forEach(key -> {
                if (!busy.add(key)) {
                    overlaps.add("key " + key + " handled twice at once at " + change.position());
                }
            });
            LockSupport.parkNanos(jitter.nextInt(100_000)); // listeners that take varying time
            int v = ((Number) change.row().get("v")).intValue();
            keys.forEach(key -> seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(v));
            keys.forEach(busy::remove);
            rows.incrementAndGet();
        });

        // The writer: a few keys updated many times, five statements per transaction; every 23rd statement
        // moves a row to a new primary key. Its own record of each key's values is the binlog order.
        Map<Long, List<Integer>> written = new LinkedHashMap<>();
        List<Long> live = new ArrayList<>();
        Random random = new Random(42);
        int statements = 0;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (long id = 1; id <= KEYS; id++) {
                statement.execute("INSERT INTO items VALUES (" + id + ", " + (++statements) + ")");
                written.computeIfAbsent(id, k -> new ArrayList<>()).add(statements);
                live.add(id);
            }
            connection.commit();
            long nextKey = 1000;
            while (statements < 1000) {
                for (int i = 0; i < 5; i++) {
                    int index = random.nextInt(live.size());
                    long key = live.get(index);
                    int v = ++statements;
                    if (v % 23 == 0) {
                        long moved = nextKey++;
                        statement.execute("UPDATE items SET id = " + moved + ", v = " + v + " WHERE id = " + key);
                        written.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                        written.computeIfAbsent(moved, k -> new ArrayList<>()).add(v);
                        live.set(index, moved);
                    } else {
                        statement.execute("UPDATE items SET v = " + v + " WHERE id = " + key);
                        written.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                    }
                }
                connection.commit();
            }
        }

        int total = statements;
        await(() -> rows.get() == total, total + " row changes handled");
        assertThat(overlaps).isEmpty();
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(written.keySet());
        written.forEach((key, values) -> assertThat(seen.get(key)).as("key %d", key).containsExactlyElementsOf(values));
        assertThat(written.size()).as("primary keys were changed").isGreaterThan(KEYS + 30);
    }

    /** A checkpoint store that remembers every save. */
    static final class RecordingStore implements CheckpointStore {
        final List<Checkpoint> saved = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Checkpoint> load(String source) {
            return Optional.empty();
        }

        @Override
        public void save(Checkpoint checkpoint) {
            saved.add(checkpoint);
        }

        @Override
        public void delete(String source) {
        }
    }

    @Test
    void theStoredCheckpointNeverPassesARowStillBeingHandled() throws Exception {
        RecordingStore store = new RecordingStore();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<SourcePosition> stuckAt = new AtomicReference<>();
        AtomicInteger others = new AtomicInteger();
        createTable(TestServers.mysql());
        start(new BinlogChangeSource(settings(9200), store, CheckpointPolicy.EVERY_BATCH), 4, change -> {
            if (((Number) change.row().get("id")).longValue() == 1L && ((Number) change.row().get("v")).intValue() == 2) {
                stuckAt.set(change.position());
                try {
                    release.await(); // the slow key
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                others.incrementAndGet();
            }
        });
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO items VALUES (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), "
                    + "(8, 1), (9, 1), (10, 1), (11, 1)");
            await(() -> others.get() == 11, "the inserts handled");
            await(() -> !store.saved.isEmpty(), "a checkpoint saved for the inserts");
            statement.execute("UPDATE items SET v = 2 WHERE id = 1"); // stuck
            for (long id = 2; id <= 11; id++) {
                statement.execute("UPDATE items SET v = 3 WHERE id = " + id); // other keys, one transaction each
            }
        }
        // Only key 1's later rows wait behind it: every row of the ten other keys is handled.
        await(() -> others.get() == 21, "every row of the other keys handled while key 1 is stuck");
        Thread.sleep(200); // time for an acknowledgement that should not happen
        SourcePosition stuck = stuckAt.get();
        assertThat(stuck).isNotNull();
        int savedWhileStuck = store.saved.size();
        assertThat(store.saved).as("no checkpoint at or after the unfinished row").allSatisfy(checkpoint -> {
            assertThat(checkpoint.file()).isEqualTo(stuck.file());
            assertThat(checkpoint.position()).isLessThan(stuck.offset());
        });

        release.countDown();
        await(() -> store.saved.size() > savedWhileStuck
                        && store.saved.get(store.saved.size() - 1).position() > stuck.offset(),
                "the checkpoint moving past the row once it is done");
    }
}
