package dev.canalboot.ha;

import org.apache.curator.framework.CuratorFramework;

import java.time.Duration;

/** {@code ha.mode=zookeeper}: leader latches and epoch nodes under one root of a Curator client's ensemble. */
public final class ZooKeeperHaEngine implements HaEngine {

    private final CuratorFramework client;
    private final String root;
    private final Duration sessionTimeout;
    private final ZooKeeperEpochs epochs;
    private final boolean ownsClient;

    /**
     * @param sessionTimeout the client's session timeout: the lease a leader relies on
     * @param ownsClient     whether {@link #close()} closes the client (one this engine was given to own)
     */
    public ZooKeeperHaEngine(CuratorFramework client, String root, Duration sessionTimeout, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.sessionTimeout = sessionTimeout;
        this.epochs = new ZooKeeperEpochs(client, this.root);
    }

    @Override
    public EpochSource epochs() {
        return epochs;
    }

    @Override
    public LeaderElection election(String source, String instanceId, ElectionListener listener) {
        return new ZooKeeperLeaderElection(source, instanceId, listener, client, root, sessionTimeout);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
