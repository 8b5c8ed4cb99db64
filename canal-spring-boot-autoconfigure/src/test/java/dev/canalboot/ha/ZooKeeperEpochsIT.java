package dev.canalboot.ha;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The epochs of {@code ha.mode=zookeeper}: one in-process ZooKeeper server (curator-test) for the class. */
class ZooKeeperEpochsIT {

    private static TestingServer zk;
    private static CuratorFramework client;

    @BeforeAll
    static void start() throws Exception {
        zk = new TestingServer(true);
        client = client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        zk.close();
    }

    private static CuratorFramework client() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
                .sessionTimeoutMs(30_000).connectionTimeoutMs(30_000).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
        return client;
    }

    @Test
    void epochsOfASourceRiseByOneForEachClaimAndNameTheirHolder() {
        ZooKeeperEpochs epochs = new ZooKeeperEpochs(client, "/rise");
        assertThat(epochs.current("s")).isEmpty();

        Instant before = Instant.now().minusSeconds(60);
        Epoch first = epochs.next("s", "a");
        assertThat(first.value()).isEqualTo(1);
        assertThat(first.holder()).isEqualTo("a");
        assertThat(first.claimed()).isAfter(before);
        assertThat(epochs.current("s")).contains(first);

        assertThat(epochs.next("s", "b").value()).isEqualTo(2);
        assertThat(epochs.next("other", "b").value()).as("each source counts on its own").isEqualTo(1);
        Epoch current = epochs.current("s").orElseThrow();
        assertThat(current.value()).isEqualTo(2);
        assertThat(current.holder()).isEqualTo("b");
    }

    @Test
    void theEpochIsTheVersionOfItsNodeWhoseDataNamesTheHolder() throws Exception {
        ZooKeeperEpochs epochs = new ZooKeeperEpochs(client, "/node");
        assertThat(epochs.path("orders")).isEqualTo("/node/orders/epoch");
        epochs.next("orders", "i-1");
        epochs.next("orders", "i-2");

        Stat stat = new Stat();
        byte[] data = client.getData().storingStatIn(stat).forPath("/node/orders/epoch");
        assertThat(stat.getVersion()).isEqualTo(2);
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("i-2");
    }

    @Test
    void aNodeNeverWrittenIsNoEpochYet() throws Exception {
        // The node exists (a claim that created it and stopped before writing): version 0 is no claim.
        client.create().creatingParentsIfNeeded().forPath("/created/s/epoch", new byte[0]);
        ZooKeeperEpochs epochs = new ZooKeeperEpochs(client, "/created");
        assertThat(epochs.current("s")).isEmpty();
        assertThat(epochs.next("s", "a").value()).isEqualTo(1);
    }

    @Test
    void concurrentClaimsGetDistinctConsecutiveEpochs() throws Exception {
        ZooKeeperEpochs epochs = new ZooKeeperEpochs(client, "/race");
        EpochRace.assertConcurrentClaimsGetDistinctConsecutiveEpochs(epochs);
    }

    @Test
    void failuresNameTheSourceAndTheNode() throws Exception {
        CuratorFramework closed = client();
        closed.close();
        ZooKeeperEpochs epochs = new ZooKeeperEpochs(closed, "/fail");

        assertThatThrownBy(() -> epochs.next("s", "a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot claim the next leader epoch of source 's' at ZooKeeper node /fail/s/epoch")
                .hasCauseInstanceOf(Exception.class);
        assertThatThrownBy(() -> epochs.current("s"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the leader epoch of source 's' at ZooKeeper node /fail/s/epoch")
                .hasCauseInstanceOf(Exception.class);
    }
}
