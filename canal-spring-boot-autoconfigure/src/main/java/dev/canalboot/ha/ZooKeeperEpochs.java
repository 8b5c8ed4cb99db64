package dev.canalboot.ha;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Epochs of {@code ha.mode=zookeeper}: the version of node {@code <root>/<source>/epoch}, which ZooKeeper raises by
 * one at every write; the node's data names the holder.
 */
public final class ZooKeeperEpochs implements EpochSource {

    private final CuratorFramework client;
    private final String root;

    public ZooKeeperEpochs(CuratorFramework client, String root) {
        this.client = client;
        this.root = root;
    }

    String path(String source) {
        return root + "/" + source + "/epoch";
    }

    @Override
    public Epoch next(String source, String holder) {
        String path = path(source);
        try {
            try {
                client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException exists) {
                // claimed before
            }
            Stat stat = client.setData().forPath(path, holder.getBytes(StandardCharsets.UTF_8));
            return new Epoch(stat.getVersion(), holder, Instant.ofEpochMilli(stat.getMtime()));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot claim the next leader epoch of source '" + source + "' at "
                    + "ZooKeeper node " + path, e);
        }
    }

    @Override
    public Optional<Epoch> current(String source) {
        String path = path(source);
        try {
            Stat stat = new Stat();
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return stat.getVersion() == 0 ? Optional.empty() : Optional.of(new Epoch(stat.getVersion(),
                    new String(data, StandardCharsets.UTF_8), Instant.ofEpochMilli(stat.getMtime())));
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the leader epoch of source '" + source + "' at ZooKeeper "
                    + "node " + path, e);
        }
    }
}
