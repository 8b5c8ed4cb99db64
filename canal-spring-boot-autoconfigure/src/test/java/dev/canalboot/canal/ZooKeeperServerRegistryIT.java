package dev.canalboot.canal;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canal's running-server node read from an in-process ZooKeeper, written here in Canal's format: each change of the
 * node is reported, and every unusable state says why no server runs.
 */
class ZooKeeperServerRegistryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static TestingServer zk;
    static CuratorFramework writer;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new TestingServer(true);
        writer = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        writer.start();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        writer.close();
        zk.close();
    }

    private static CanalSettings settings(String destination, String zooKeeper) {
        return CanalSettings.builder("orders", destination).zooKeeper(zooKeeper)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void followsTheRunningNodeThroughEveryState() throws Exception {
        String node = ZooKeeperServerRegistry.runningNode("follow");
        assertThat(node).isEqualTo("/otter/canal/destinations/follow/running");
        AtomicInteger changes = new AtomicInteger();
        try (ZooKeeperServerRegistry registry = new ZooKeeperServerRegistry(settings("follow", zk.getConnectString()))) {
            assertThat(registry.whyNoneRuns()).isEqualTo("ZooKeeper has not been read yet");
            registry.start(changes::incrementAndGet);
            assertThat(registry.awaitFirstView(WAIT)).isTrue();
            assertThat(registry.running()).isNull();
            assertThat(registry.describe()).isEqualTo("ZooKeeper " + zk.getConnectString() + " " + node);
            assertThat(registry.whyNoneRuns()).isEqualTo("no Canal server runs destination 'follow': "
                    + registry.describe() + " does not exist");

            writer.create().creatingParentsIfNeeded().forPath(node,
                    "{\"active\":true,\"address\":\"10.0.0.7:11111\",\"cid\":1}".getBytes(UTF_8));
            await("the registered server", () -> registry.running() != null);
            assertThat(registry.running()).isEqualTo(new CanalSettings.HostAndPort("10.0.0.7", 11111));
            int afterRegistered = changes.get();
            assertThat(afterRegistered).as("the change was reported").isPositive();

            writer.setData().forPath(node, "{\"active\":true,\"address\":\"10.0.0.8:11111\",\"cid\":2}".getBytes(UTF_8));
            await("the server that took over", () -> new CanalSettings.HostAndPort("10.0.0.8", 11111)
                    .equals(registry.running()));
            assertThat(changes.get()).isGreaterThan(afterRegistered);

            writer.setData().forPath(node, "{\"active\":false,\"address\":\"10.0.0.8:11111\"}".getBytes(UTF_8));
            await("an inactive server", () -> registry.running() == null);
            assertThat(registry.whyNoneRuns()).isEqualTo("the server registered in " + registry.describe()
                    + " is not active ({\"active\":false,\"address\":\"10.0.0.8:11111\"})");

            writer.setData().forPath(node, "{\"active\":true,\"address\":\"10.0.0.9:11111\"}".getBytes(UTF_8));
            await("a server again", () -> registry.running() != null);
            writer.setData().forPath(node, "{\"active\":true,\"address\":\"no port\"}".getBytes(UTF_8));
            await("an unusable address", () -> registry.running() == null);
            assertThat(registry.whyNoneRuns()).isEqualTo(registry.describe() + " holds '{\"active\":true,"
                    + "\"address\":\"no port\"}', not Canal's running-server JSON with an \"address\": \"host:port\"");

            writer.setData().forPath(node, "{\"active\":true,\"address\":\"10.0.0.9:11111\"}".getBytes(UTF_8));
            await("a server again", () -> registry.running() != null);
            writer.delete().forPath(node);
            await("the node gone with its server", () -> registry.running() == null);
            assertThat(registry.whyNoneRuns()).endsWith(" does not exist");
        }
    }

    @Test
    void aRegistryStartedAfterTheServerRegisteredSeesItInItsFirstView() throws Exception {
        String node = ZooKeeperServerRegistry.runningNode("early");
        writer.create().creatingParentsIfNeeded().forPath(node,
                "{\"active\":true,\"address\":\"[::1]:11111\",\"cid\":1}".getBytes(UTF_8));
        AtomicInteger changes = new AtomicInteger();
        try (ZooKeeperServerRegistry registry = new ZooKeeperServerRegistry(settings("early", zk.getConnectString()))) {
            registry.start(changes::incrementAndGet);
            assertThat(registry.awaitFirstView(WAIT)).isTrue();
            assertThat(registry.running()).isEqualTo(new CanalSettings.HostAndPort("::1", 11111));
            assertThat(changes.get()).isEqualTo(1);
        }
    }

    @Test
    void aZooKeeperThatDoesNotAnswerIsNamed() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ZooKeeperServerRegistry registry = new ZooKeeperServerRegistry(settings("none", "127.0.0.1:" + port))) {
            registry.start(() -> { });
            assertThat(registry.awaitFirstView(Duration.ofMillis(300))).isFalse();
            assertThat(registry.whyNoneRuns()).isEqualTo("ZooKeeper at 127.0.0.1:" + port
                    + " did not answer within PT0.3S");
            assertThat(registry.running()).isNull();
        }
    }
}
