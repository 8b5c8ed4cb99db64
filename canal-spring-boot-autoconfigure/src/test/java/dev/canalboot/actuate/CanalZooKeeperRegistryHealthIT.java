package dev.canalboot.actuate;

import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A Canal source configured with {@code canal.source.zookeeper.connect-string}: health names the server it reads and
 * where it found it, and says so while no server is registered. The registry node is written by this test in Canal's
 * format over a plain Canal 1.1.7 server (the real cluster mode is {@code CanalSourceZooKeeperFailoverIT}).
 */
@SpringBootTest(classes = CanalZooKeeperRegistryHealthIT.App.class,
        properties = {"canal.source.fetch-timeout=200ms", "canal.source.reconnect.initial-interval=100ms",
                "canal.source.reconnect.max-interval=1s"})
class CanalZooKeeperRegistryHealthIT {

    static final String SCHEMA = "zk_registry_health";
    static final String NODE = "/otter/canal/destinations/" + SCHEMA + "/running";
    static EmbeddedMySql database;
    static TestingServer zk;
    static CuratorFramework registry;
    static EmbeddedCanalServer canal;

    @BeforeAll
    static void start() throws Exception {
        database = TestServers.mysql();
        database.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".t (id INT PRIMARY KEY)");
        canal = EmbeddedCanalServer.builder(database).destination(SCHEMA).filter(SCHEMA + "\\..*").start();
        zk = new TestingServer(true);
        registry = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        registry.start();
        registry.create().creatingParentsIfNeeded().forPath(NODE, ("{\"active\":true,\"address\":\"" + canal.host()
                + ":" + canal.port() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @DynamicPropertySource
    static void registryProperties(DynamicPropertyRegistry properties) {
        properties.add("canal.source.destination", () -> SCHEMA);
        properties.add("canal.source.zookeeper.connect-string", () -> zk.getConnectString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (canal != null) {
            canal.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (zk != null) {
            zk.close();
        }
        database.execute("DROP DATABASE IF EXISTS " + SCHEMA);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    static class Listener {

        final List<Integer> received = new CopyOnWriteArrayList<>();

        @CanalListener(table = SCHEMA + ".t")
        void on(RowChange change) {
            received.add(change.row().getInteger("id"));
        }
    }

    @Autowired
    Listener listener;

    @Autowired
    @Qualifier("canalHealthContributor")
    CompositeHealthContributor health;

    @Test
    void healthNamesTheServerFoundInZooKeeperAndSaysWhenNoneRuns() throws Exception {
        database.execute("INSERT INTO " + SCHEMA + ".t VALUES (1)");
        await(() -> listener.received.contains(1), "row 1 delivered");
        Health reading = ((HealthIndicator) health.getContributor("default")).health();
        assertThat(reading.getDetails().get("server")).isEqualTo(canal.host() + ":" + canal.port() + "/" + SCHEMA
                + " (running server per ZooKeeper " + zk.getConnectString() + " " + NODE + ")");

        registry.delete().forPath(NODE);
        canal.close();
        await(() -> String.valueOf(server()).startsWith("(none)/"), "the source to report no server");
        Health waiting = ((HealthIndicator) health.getContributor("default")).health();
        assertThat(waiting.getDetails().get("sourceState")).isEqualTo("RECONNECTING");
        assertThat((String) waiting.getDetails().get("server")).isEqualTo("(none)/" + SCHEMA
                + " (no Canal server runs destination '" + SCHEMA + "': ZooKeeper " + zk.getConnectString() + " "
                + NODE + " does not exist; waiting for a server to register)");
    }

    private Object server() {
        return ((HealthIndicator) health.getContributor("default")).health().getDetails().get("server");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Gave up waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
