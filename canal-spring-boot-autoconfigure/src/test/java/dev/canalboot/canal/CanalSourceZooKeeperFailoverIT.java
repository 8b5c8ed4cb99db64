package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.SchemaFixture;
import dev.canalboot.testsupport.TestServers;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static dev.canalboot.canal.CanalSourceContract.ids;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Canal source that finds its server in Canal's ZooKeeper registry: two real Canal 1.1.7 servers in cluster mode
 * (Canal's own running monitor registers them in an in-process ZooKeeper and hands the destination over), MySQL
 * 8.0.31 with a writer committing throughout. The source waits while no server runs the destination, follows the
 * one that does, and when that one stops follows the one that takes over: every committed row arrives.
 */
class CanalSourceZooKeeperFailoverIT {

    static final String SCHEMA = "cs_zk_failover";

    @RegisterExtension
    final SchemaFixture fixture = new SchemaFixture(TestServers.mysql(), SCHEMA);
    final EmbeddedDatabase database = fixture.database();

    <T extends AutoCloseable> T closeLater(T closeable) {
        return fixture.closeLater(closeable);
    }

    EmbeddedCanalServer clusterServer(TestingServer zk) {
        return closeLater(EmbeddedCanalServer.builder(database).destination(SCHEMA).filter(SCHEMA + "\\..*")
                .zooKeeper(zk.getConnectString(), 1).start());
    }

    @Test
    void followsTheRunningServerThroughAFailoverAndDeliversEveryCommittedRow() throws Exception {
        long began = System.nanoTime();
        TestingServer zk = closeLater(new TestingServer(true));
        CanalChangeSource source = closeLater(new CanalChangeSource(CanalSettings.builder("canal-zk", SCHEMA)
                .zooKeeper(zk.getConnectString())
                .fetchTimeout(Duration.ofMillis(200))
                .connectTimeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build()));

        source.start(); // no Canal server has registered yet: the source waits for one
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(source.statistics().server()).contains("(none)/" + SCHEMA)
                .contains("/otter/canal/destinations/" + SCHEMA + "/running does not exist")
                .contains("waiting for a server to register");

        EmbeddedCanalServer first = clusterServer(zk);
        EmbeddedCanalServer second = clusterServer(zk);
        Writer writer = closeLater(new Writer());
        Set<Integer> received = new HashSet<>();
        AtomicInteger duplicates = new AtomicInteger();
        pollUntil(source, received, duplicates, () -> received.size() >= 20, "20 rows through the first server");
        String before = source.statistics().server();
        EmbeddedCanalServer active = before.startsWith(address(first)) ? first : second;
        EmbeddedCanalServer standby = active == first ? second : first;
        assertThat(before).startsWith(address(active) + "/" + SCHEMA + " (running server per ZooKeeper");

        long stopped = System.nanoTime();
        active.close(); // releases the destination: the standby takes it over after Canal's delay (1 s here)
        int writtenAtStop = writer.committed();
        pollUntil(source, received, duplicates, () -> source.state() == SourceState.CONNECTED
                        && source.statistics().server().startsWith(address(standby) + "/")
                        && received.contains(writtenAtStop + 20),
                "rows written after the stop, through " + address(standby));
        long followed = System.nanoTime();
        writer.close();
        int written = writer.committed();
        pollUntil(source, received, duplicates, () -> received.size() == written, "all " + written + " rows");

        Set<Integer> expected = new HashSet<>();
        for (int id = 1; id <= written; id++) {
            expected.add(id);
        }
        assertThat(received).isEqualTo(expected);
        assertThat(source.statistics().reconnects()).isPositive();
        System.out.printf("Canal ZooKeeper failover: %d rows committed, all received (%d again); %s -> %s; first"
                        + " row after the stop through the new server within %d ms; test %d ms%n", written,
                duplicates.get(), address(active), address(standby), (followed - stopped) / 1_000_000,
                (System.nanoTime() - began) / 1_000_000);
    }

    /**
     * The registry, written by this test in Canal's format (not by Canal: the two servers here run in plain mode and
     * serve the destination both), names another server while the source is connected: the source leaves the first
     * one and reads from the one named. Unusable data and a deleted node leave it where it is.
     */
    @Test
    void leavesAServerTheRegistryNoLongerNamesAndStaysWhileItNamesNone() throws Exception {
        TestingServer zk = closeLater(new TestingServer(true));
        CuratorFramework registry = closeLater(CuratorFrameworkFactory.newClient(zk.getConnectString(),
                new RetryOneTime(100)));
        registry.start();
        EmbeddedCanalServer first = closeLater(EmbeddedCanalServer.builder(database).destination(SCHEMA)
                .filter(SCHEMA + "\\..*").start());
        EmbeddedCanalServer second = closeLater(EmbeddedCanalServer.builder(database).destination(SCHEMA)
                .filter(SCHEMA + "\\..*").start());
        String node = "/otter/canal/destinations/" + SCHEMA + "/running";
        registry.create().creatingParentsIfNeeded().forPath(node, running(first));
        CanalChangeSource source = closeLater(new CanalChangeSource(CanalSettings.builder("canal-zk-moves", SCHEMA)
                .zooKeeper(zk.getConnectString())
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build()));
        source.start();
        Set<Integer> received = new HashSet<>();
        AtomicInteger duplicates = new AtomicInteger();
        pollUntil(source, received, duplicates, () -> source.state() == SourceState.CONNECTED, "a session");
        assertThat(source.statistics().server()).startsWith(address(first) + "/" + SCHEMA);
        insert(1, 2, 3);
        pollUntil(source, received, duplicates, () -> received.size() == 3, "rows 1-3 from the first server");

        registry.setData().forPath(node, running(second));
        pollUntil(source, received, duplicates, () -> source.state() == SourceState.CONNECTED
                && source.statistics().server().startsWith(address(second) + "/"), "the move to the second server");
        insert(4, 5);
        pollUntil(source, received, duplicates, () -> received.size() == 5, "rows 4-5 from the second server");

        registry.setData().forPath(node, "{\"active\":true,\"address\":\"no port\"}".getBytes(UTF_8));
        registry.delete().forPath(node);
        insert(6);
        pollUntil(source, received, duplicates, () -> received.size() == 6, "row 6 with no server registered");
        assertThat(source.statistics().server()).as("stays with the server it reads")
                .startsWith(address(second) + "/" + SCHEMA);
    }

    /**
     * ZooKeeper is not up when the source starts: the source retries like an unreachable server and connects once
     * ZooKeeper answers with a registered server (written by this test in Canal's format over a plain server). Losing
     * ZooKeeper afterwards leaves the Canal connection alone.
     */
    @Test
    void anUnreachableZooKeeperIsRetriedAndLosingItLaterLeavesTheCanalConnectionAlone() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedCanalServer server = closeLater(EmbeddedCanalServer.builder(database).destination(SCHEMA)
                .filter(SCHEMA + "\\..*").start());
        CanalChangeSource source = closeLater(new CanalChangeSource(CanalSettings.builder("canal-zk-late", SCHEMA)
                .zooKeeper("127.0.0.1:" + port)
                .connectTimeout(Duration.ofSeconds(1))
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build()));
        source.start();
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(source.statistics().server()).contains("(none)/" + SCHEMA)
                .contains("ZooKeeper at 127.0.0.1:" + port + " did not answer within PT1S");

        TestingServer zk = closeLater(new TestingServer(port, true));
        CuratorFramework registry = closeLater(CuratorFrameworkFactory.newClient(zk.getConnectString(),
                new RetryOneTime(100)));
        registry.start();
        registry.create().creatingParentsIfNeeded()
                .forPath("/otter/canal/destinations/" + SCHEMA + "/running", running(server));
        Set<Integer> received = new HashSet<>();
        AtomicInteger duplicates = new AtomicInteger();
        pollUntil(source, received, duplicates, () -> source.state() == SourceState.CONNECTED, "a session");
        assertThat(source.statistics().server()).startsWith(address(server) + "/" + SCHEMA);

        registry.close();
        zk.stop();
        insert(1, 2);
        pollUntil(source, received, duplicates, () -> received.size() == 2, "rows with ZooKeeper down");
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.statistics().server()).startsWith(address(server) + "/" + SCHEMA);
    }

    /** What a Canal 1.1.7 server in cluster mode writes into the running node (see the other test). */
    static byte[] running(EmbeddedCanalServer server) {
        return ("{\"active\":true,\"address\":\"" + address(server) + "\",\"cid\":1}").getBytes(UTF_8);
    }

    void insert(int... ids) {
        for (int id : ids) {
            database.execute("INSERT INTO " + SCHEMA + ".t VALUES (" + id + ")");
        }
    }

    static String address(EmbeddedCanalServer server) {
        return server.host() + ":" + server.port();
    }

    /** Polls and acknowledges until {@code done}; a generous guard for a loaded machine. */
    static void pollUntil(CanalChangeSource source, Set<Integer> received, AtomicInteger duplicates,
                          BooleanSupplier done, String what) throws Exception {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("not within 60 s: " + what + "; " + received.size() + " rows received,"
                        + " source " + source.state() + " at " + source.statistics().server());
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                for (int id : ids(batch.events())) {
                    if (!received.add(id)) {
                        duplicates.incrementAndGet();
                    }
                }
                source.ack(batch);
            }
        }
    }

    /** Commits rows 1, 2, 3, ... one per transaction, every 20 ms, until closed. */
    final class Writer implements AutoCloseable {
        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile Exception failure;

        Writer() {
            thread = new Thread(this::run, "zk-failover-writer");
            thread.start();
        }

        private void run() {
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(SCHEMA), database.rootUser(),
                    database.rootPassword());
                 Statement statement = connection.createStatement()) {
                while (!stop.get()) {
                    statement.executeUpdate("INSERT INTO t VALUES (" + (committed.get() + 1) + ")");
                    committed.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        int committed() {
            return committed.get();
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            thread.join(10_000);
            if (failure != null) {
                throw new AssertionError("the writer failed", failure);
            }
        }
    }
}
