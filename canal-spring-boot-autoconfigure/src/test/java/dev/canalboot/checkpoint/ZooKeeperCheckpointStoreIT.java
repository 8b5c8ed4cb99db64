package dev.canalboot.checkpoint;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ZooKeeper checkpoint store against a real ZooKeeper server in this JVM (curator-test). */
class ZooKeeperCheckpointStoreIT extends FencedCheckpointStoreContract {

    private static TestingServer zooKeeper;
    private static CuratorFramework client;

    private final String root = "/cp-test-" + UUID.randomUUID();

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zooKeeper = new TestingServer(true);
        client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString())
                .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        client.close();
        zooKeeper.close();
    }

    @Override
    protected ZooKeeperCheckpointStore store() {
        return new ZooKeeperCheckpointStore(client, root);
    }

    private String text(String path) throws Exception {
        return new String(client.getData().forPath(path), StandardCharsets.UTF_8);
    }

    @Test
    void theNodeIsReadablePropertiesWithTheEpochAndNamesOneHistoryChild() throws Exception {
        ZooKeeperCheckpointStore store = store();
        String path = store.path("orders");
        assertThat(path).isEqualTo(root + "/orders/checkpoint");
        assertThat(store.location("orders")).isEqualTo("ZooKeeper node " + path);
        store.save(new Checkpoint("orders", "binlog.000001", 4, null, now, null, "{\"v\":2,\"tables\":[]}"), 3);
        assertThat(text(path)).contains("source=orders", "file=binlog.000001", "position=4", "leader-epoch=3",
                "schema-history-node=history-").doesNotContain("tables");
        assertThat(client.getChildren().forPath(path)).singleElement().asString().startsWith("history-");
        int version = client.checkExists().forPath(path).getVersion();

        store.save(new Checkpoint("orders", "binlog.000001", 90, null, now, null, "{\"v\":2,\"tables\":[]}"), 3);
        assertThat(client.checkExists().forPath(path).getVersion()).as("one write per save").isEqualTo(version + 1);
        store.save(new Checkpoint("orders", "binlog.000001", 100, null, now, null, "{\"v\":2,\"tables\":[7]}"), 3);
        assertThat(client.getChildren().forPath(path)).as("the replaced history is removed in the same write")
                .singleElement().satisfies(child -> assertThat(text(path + "/" + child)).isEqualTo("{\"v\":2,\"tables\":[7]}"));
    }

    @Test
    void aFenceBeforeTheFirstSaveAndADeleteKeepTheDeposedLeaderOut() {
        ZooKeeperCheckpointStore deposed = store();
        ZooKeeperCheckpointStore successor = store();
        successor.fence("fresh", 2);
        assertThat(deposed.load("fresh")).as("a fence alone is no checkpoint").isEmpty();
        assertThatThrownBy(() -> deposed.save(new Checkpoint("fresh", "binlog.000001", 4, null, now), 1))
                .isInstanceOf(StaleEpochException.class);
        assertThat(store().load("fresh")).isEmpty();

        successor.save(new Checkpoint("fresh", "binlog.000001", 8, null, now, null, "{}"), 2);
        successor.delete("fresh");
        assertThat(store().load("fresh")).isEmpty();
        assertThatThrownBy(() -> deposed.save(new Checkpoint("fresh", "binlog.000001", 9, null, now), 1))
                .isInstanceOf(StaleEpochException.class);
        successor.save(new Checkpoint("fresh", "binlog.000001", 10, null, now), 2);
        assertThat(store().load("fresh").orElseThrow().position()).isEqualTo(10);
    }

    /**
     * A writer saving as fast as it can while another instance fences: no save that began after the fence returned
     * lands, and the stored checkpoint is the writer's last save that succeeded.
     */
    @Test
    void aSaveRacingAFenceNeverLandsAfterIt() throws Exception {
        ZooKeeperCheckpointStore writer = store();
        AtomicBoolean fenced = new AtomicBoolean();
        AtomicLong lastSaved = new AtomicLong(-1);
        CompletableFuture<Long> savedAfterFence = CompletableFuture.supplyAsync(() -> {
            long landedAfterFence = 0;
            for (long position = 1; ; position++) {
                boolean fenceDone = fenced.get();
                try {
                    writer.save(new Checkpoint("racy", "binlog.000001", position, null, now), 5);
                } catch (StaleEpochException refused) {
                    return landedAfterFence;
                }
                lastSaved.set(position);
                if (fenceDone) {
                    landedAfterFence++;
                }
            }
        });
        while (lastSaved.get() < 20) {
            Thread.sleep(5);
        }
        store().fence("racy", 6);
        fenced.set(true);
        assertThat(savedAfterFence.get(30, TimeUnit.SECONDS)).as("saves begun after the fence returned that landed")
                .isZero();
        assertThat(store().load("racy").orElseThrow().position()).isEqualTo(lastSaved.get());
    }

    @Test
    void aSchemaHistoryBeyondJuteMaxbufferFailsClearlyAndWritesNothing() throws Exception {
        ZooKeeperCheckpointStore store = store();
        store.save(new Checkpoint("big", "binlog.000001", 4, null, now, null, "{\"v\":2,\"tables\":[]}"), 1);
        String huge = "{\"v\":2,\"tables\":[\"" + "x".repeat(ZooKeeperCheckpointStore.DEFAULT_MAX_BUFFER) + "\"]}";
        assertThatThrownBy(() -> store.save(new Checkpoint("big", "binlog.000001", 8, null, now, null, huge), 1))
                .isInstanceOf(CheckpointException.class).isNotInstanceOf(StaleEpochException.class)
                .hasMessageContaining("source 'big'").hasMessageContaining("jute.maxbuffer")
                .hasMessageContaining(String.valueOf(huge.length())).hasMessageContaining("canal.checkpoint.store=jdbc");
        Checkpoint stored = store().load("big").orElseThrow();
        assertThat(stored.position()).isEqualTo(4);
        assertThat(stored.schemaHistory()).isEqualTo("{\"v\":2,\"tables\":[]}");
        // the connection is fine: the next save works
        store.save(new Checkpoint("big", "binlog.000001", 12, null, now), 1);
        assertThat(store().load("big").orElseThrow().position()).isEqualTo(12);
        // a raised jute.maxbuffer (servers and client) is the way out
        assertThat(new ZooKeeperCheckpointStore(client, root, false, 64 * 1024).load("big")).isPresent();
        assertThatThrownBy(() -> new ZooKeeperCheckpointStore(client, root, false, 64 * 1024)
                .save(new Checkpoint("big", "binlog.000001", 16, null, now, null, "y".repeat(70_000)), 1))
                .hasMessageContaining("65536 bytes");
    }

    @Test
    void aDamagedNodeIsAnErrorNamingItAndTheWayOut() throws Exception {
        ZooKeeperCheckpointStore store = store();
        client.create().creatingParentsIfNeeded().forPath(store.path("broken"), "source=broken\nposition=x\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.load("broken")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(store.path("broken")).hasMessageContaining("saved-at")
                .hasMessageContaining("Delete it");
        client.setData().forPath(store.path("broken"), ("source=broken\nposition=1\nsaved-at=" + now
                + "\nfile=b.1\nschema-history-node=history-gone\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.load("broken")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("history-gone").hasMessageContaining("does not exist");
    }
}
