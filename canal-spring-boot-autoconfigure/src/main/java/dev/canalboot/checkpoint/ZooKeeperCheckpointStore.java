package dev.canalboot.checkpoint;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checkpoints in ZooKeeper, one node per source: {@code <root>/<source>/checkpoint} holds the checkpoint as the
 * file store's properties text (plus the line {@code leader-epoch}: the epoch that wrote it), and a binlog source's
 * schema history is a child node {@code history-<hash>} named by it, written only when it changes. The source's
 * fence is node {@code <root>/<source>/checkpoint-fence}: the highest epoch that fenced or wrote the checkpoint.
 * <p>
 * Every write with an epoch is one ZooKeeper transaction that also checks the version of the fence node this store
 * compared the epoch with: once a new leader's {@link #fence} raised it, a deposed leader's write is refused by
 * ZooKeeper itself, re-reads the fence and then finds the newer epoch. The fence is a node of its own so that a busy
 * writer cannot starve a new leader's fence. The checkpoint node is written only on the version this store last saw,
 * and a new history node, the checkpoint that names it and the removal of the history it replaces are one
 * transaction: the checkpoint always names a complete history, and a refused write leaves nothing behind.
 * <p>
 * ZooKeeper refuses requests larger than {@code jute.maxbuffer} (1 MB by default, on the servers and in the client),
 * so a write whose checkpoint and new history exceed it (less {@value #REQUEST_OVERHEAD} bytes for the request's
 * framing) fails with a {@link CheckpointException} that names the sizes, before anything is sent.
 */
public final class ZooKeeperCheckpointStore implements FencedCheckpointStore, AutoCloseable {

    /** ZooKeeper's default {@code jute.maxbuffer}: the largest request and node it accepts. */
    public static final int DEFAULT_MAX_BUFFER = 0xfffff;
    /** Room left in a request for paths, versions and framing. */
    static final int REQUEST_OVERHEAD = 4096;
    private static final String HISTORY = "history-";
    private static final String EPOCH = "leader-epoch";
    private static final String HISTORY_NODE = "schema-history-node";
    /** A write retried this often lost every time to another writer of the same node: give up and say so. */
    private static final int ATTEMPTS = 20;

    private final CuratorFramework client;
    private final String root;
    private final boolean ownsClient;
    private final int maxRequestBytes;
    /** Per source: the nodes as this store last wrote or read them; a write conditional on their versions needs no read. */
    private final Map<String, Nodes> known = new ConcurrentHashMap<>();

    /**
     * A source's nodes as last seen: the checkpoint node's version (-1: none) with its checkpoint (no history), the
     * history child it names and that history; the fence's version (-1: none) and epoch.
     */
    private record Nodes(int version, Checkpoint checkpoint, String historyNode, String history,
                         int fenceVersion, long fence) {

        static final Nodes NONE = new Nodes(-1, null, null, null, -1, Long.MIN_VALUE);

        Nodes withFence(int version, long epoch) {
            return new Nodes(this.version, checkpoint, historyNode, history, version, epoch);
        }
    }

    /** A store on {@code client}'s ensemble under {@code root}; it does not close the client. */
    public ZooKeeperCheckpointStore(CuratorFramework client, String root) {
        this(client, root, false);
    }

    /**
     * @param ownsClient whether {@link #close()} closes the client; requests are bounded by the
     *                   {@code jute.maxbuffer} system property, as the ZooKeeper client's are
     */
    public ZooKeeperCheckpointStore(CuratorFramework client, String root, boolean ownsClient) {
        this(client, root, ownsClient, Integer.getInteger("jute.maxbuffer", DEFAULT_MAX_BUFFER));
    }

    /**
     * @param ownsClient      whether {@link #close()} closes the client
     * @param maxRequestBytes the ensemble's {@code jute.maxbuffer}
     */
    public ZooKeeperCheckpointStore(CuratorFramework client, String root, boolean ownsClient, int maxRequestBytes) {
        this.client = client;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.ownsClient = ownsClient;
        this.maxRequestBytes = maxRequestBytes;
    }

    public CuratorFramework client() {
        return client;
    }

    /** The node of {@code source}'s checkpoint. */
    public String path(String source) {
        return root + "/" + source + "/checkpoint";
    }

    /** The node of {@code source}'s fence: the highest epoch that fenced or wrote its checkpoint. */
    public String fencePath(String source) {
        return path(source) + "-fence";
    }

    @Override
    public String location(String source) {
        return "ZooKeeper node " + path(source);
    }

    @Override
    public Optional<Checkpoint> load(String source) {
        known.remove(source);
        Nodes nodes = read(source);
        known.put(source, nodes);
        return Optional.ofNullable(nodes.checkpoint() == null ? null : withHistory(nodes.checkpoint(), nodes.history()));
    }

    @Override
    public void save(Checkpoint checkpoint) {
        write(checkpoint, null);
    }

    @Override
    public void save(Checkpoint checkpoint, long epoch) {
        write(checkpoint, epoch);
    }

    /** Writes the checkpoint; with an epoch, unless the fence is higher, checking the fence in the same transaction. */
    private void write(Checkpoint cp, Long epoch) {
        String source = cp.source();
        String path = path(source);
        String history = cp.schemaHistory();
        String historyNode = history == null ? null : HISTORY + CheckpointText.hash(history);
        boolean historyMayExist = false;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Nodes cached = known.get(source);
            Nodes nodes = cached != null ? cached : read(source);
            if (epoch != null && nodes.fence() > epoch) {
                known.remove(source);
                throw new StaleEpochException(source, epoch, nodes.fence(), location(source));
            }
            Checkpoint bare = withHistory(cp, null);
            byte[] data = render(bare, epoch, historyNode);
            String oldHistory = nodes.historyNode();
            boolean createHistory = historyNode != null && !historyNode.equals(oldHistory)
                    && !(historyMayExist && exists(path + "/" + historyNode));
            byte[] historyData = createHistory ? history.getBytes(StandardCharsets.UTF_8) : null;
            checkSize(source, data, historyData);
            List<CuratorOp> ops = new ArrayList<>();
            try {
                if (nodes.version() < 0 || (epoch != null && nodes.fenceVersion() < 0)) {
                    ensureParent(source);
                }
                int fenceVersion = nodes.fenceVersion();
                long fence = nodes.fence();
                if (epoch != null) {
                    if (nodes.fenceVersion() < 0) {
                        ops.add(client.transactionOp().create().forPath(fencePath(source), epochData(epoch)));
                        fenceVersion = 0;
                        fence = epoch;
                    } else if (epoch > nodes.fence()) {
                        ops.add(client.transactionOp().setData().withVersion(nodes.fenceVersion())
                                .forPath(fencePath(source), epochData(epoch)));
                        fenceVersion = nodes.fenceVersion() + 1;
                        fence = epoch;
                    } else {
                        ops.add(client.transactionOp().check().withVersion(nodes.fenceVersion())
                                .forPath(fencePath(source)));
                    }
                }
                if (nodes.version() < 0) {
                    ops.add(client.transactionOp().create().forPath(path, data));
                } else {
                    ops.add(client.transactionOp().setData().withVersion(nodes.version()).forPath(path, data));
                }
                if (createHistory) {
                    ops.add(client.transactionOp().create().forPath(path + "/" + historyNode, historyData));
                }
                if (oldHistory != null && !oldHistory.equals(historyNode)) {
                    ops.add(client.transactionOp().delete().forPath(path + "/" + oldHistory));
                }
                int version = version(client.transaction().forOperations(ops), path);
                known.put(source, new Nodes(version, bare, historyNode, history, fenceVersion, fence));
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                     | KeeperException.NodeExistsException changed) {
                // Another writer (a new leader's fence, a save, a delete) came first: read again and decide again.
                known.remove(source);
                historyMayExist |= changed instanceof KeeperException.NodeExistsException;
            } catch (Exception e) {
                known.remove(source); // not known what the nodes hold now
                throw failure("save the checkpoint of source '" + source + "' to", path, e);
            }
        }
        throw new CheckpointException("Cannot save the checkpoint of source '" + source + "' to ZooKeeper node " + path
                + ": it changed under " + ATTEMPTS + " attempts in a row (another instance writes the same source;"
                + " give each instance's sources distinct names or use ha.mode so that one instance writes)");
    }

    /**
     * Raises the fence node (creating it when the source has none yet, so a deposed leader cannot write a first
     * checkpoint either). Only fences and a leader's first save write it: saves cannot starve a fence.
     */
    @Override
    public void fence(String source, long epoch) {
        String path = fencePath(source);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            known.remove(source);
            Stat stat = new Stat();
            Long fence;
            try {
                fence = parseEpoch(source, path, client.getData().storingStatIn(stat).forPath(path));
            } catch (KeeperException.NoNodeException none) {
                fence = null;
            } catch (Exception e) {
                throw failure("read the checkpoint fence of source '" + source + "' from", path, e);
            }
            if (fence != null && fence >= epoch) {
                return;
            }
            try {
                if (fence == null) {
                    ensureParent(source);
                    client.create().forPath(path, epochData(epoch));
                } else {
                    client.setData().withVersion(stat.getVersion()).forPath(path, epochData(epoch));
                }
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                     | KeeperException.NodeExistsException changed) {
                // another new leader fenced meanwhile: read again
            } catch (Exception e) {
                throw failure("fence the checkpoint of source '" + source + "' at epoch " + epoch + " in", path, e);
            }
        }
        throw new CheckpointException("Cannot fence the checkpoint of source '" + source + "' at ZooKeeper node "
                + path + ": it changed under " + ATTEMPTS + " attempts in a row");
    }

    /** Forgets the checkpoint and its history; the fence stays, so that a deposed leader cannot write it back. */
    @Override
    public void delete(String source) {
        known.remove(source);
        try {
            client.delete().deletingChildrenIfNeeded().forPath(path(source));
        } catch (KeeperException.NoNodeException none) {
            // nothing saved
        } catch (Exception e) {
            throw failure("delete the checkpoint of source '" + source + "' from", path(source), e);
        }
    }

    /** The source's nodes with the history the checkpoint names. */
    private Nodes read(String source) {
        String fencePath = fencePath(source);
        Stat fenceStat = new Stat();
        Nodes fence;
        try {
            long epoch = parseEpoch(source, fencePath, client.getData().storingStatIn(fenceStat).forPath(fencePath));
            fence = Nodes.NONE.withFence(fenceStat.getVersion(), epoch);
        } catch (KeeperException.NoNodeException none) {
            fence = Nodes.NONE;
        } catch (CheckpointException e) {
            throw e;
        } catch (Exception e) {
            throw failure("read the checkpoint fence of source '" + source + "' from", fencePath, e);
        }
        String path = path(source);
        Stat stat = new Stat();
        String text;
        try {
            text = new String(client.getData().storingStatIn(stat).forPath(path), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException none) {
            return fence;
        } catch (Exception e) {
            throw failure("read the checkpoint of source '" + source + "' from", path, e);
        }
        CheckpointText.Stored stored = CheckpointText.read(text, source, "the node", new CheckpointText.Problems() {
            @Override
            public CheckpointException unparsable(String why, Throwable cause) {
                return ZooKeeperCheckpointStore.unparsable(path, source, why, cause);
            }

            @Override
            public CheckpointException otherSource(String savedSource) {
                return new CheckpointException("ZooKeeper node " + path + " holds the checkpoint of source '"
                        + savedSource + "', not '" + source + "'; delete it to start source '" + source
                        + "' from its configured start");
            }
        });
        Properties p = stored.lines();
        Checkpoint checkpoint = stored.checkpoint();
        String historyNode = CheckpointText.emptyToNull(p.getProperty(HISTORY_NODE));
        String history = null;
        if (historyNode != null) {
            if (!historyNode.startsWith(HISTORY) || historyNode.contains("/")) {
                throw unparsable(path, source, "its " + HISTORY_NODE + " line names '" + historyNode
                        + "', which is not one of its " + HISTORY + "<hash> children", null);
            }
            try {
                history = new String(client.getData().forPath(path + "/" + historyNode), StandardCharsets.UTF_8);
            } catch (KeeperException.NoNodeException gone) {
                throw new CheckpointException("ZooKeeper node " + path + " names schema history node " + historyNode
                        + ", which does not exist; restore it, or delete the checkpoint node to start source '"
                        + source + "' from its configured start", gone);
            } catch (Exception e) {
                throw failure("read the schema history of source '" + source + "' from", path + "/" + historyNode, e);
            }
        }
        return new Nodes(stat.getVersion(), checkpoint, historyNode, history, fence.fenceVersion(), fence.fence());
    }

    private static long parseEpoch(String source, String path, byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CheckpointException("ZooKeeper node " + path + " (the checkpoint fence of source '" + source
                    + "') holds '" + text + "', not a leader epoch; delete it (the next leader writes it again)", e);
        }
    }

    private static byte[] epochData(long epoch) {
        return Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] render(Checkpoint bare, Long epoch, String historyNode) {
        String tail = CheckpointText.line("the node of the table definitions the binlog source decodes with at this"
                + " position", HISTORY_NODE, historyNode)
                + CheckpointText.line("the leader epoch that wrote it (the fence is node checkpoint-fence)", EPOCH,
                epoch == null ? null : epoch.toString());
        return CheckpointText.render(bare, tail).getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses a write ZooKeeper would refuse by dropping the connection, naming the sizes and the ways out. */
    private void checkSize(String source, byte[] data, byte[] history) {
        long size = data.length + (history == null ? 0 : history.length) + REQUEST_OVERHEAD;
        if (size > maxRequestBytes) {
            throw new CheckpointException("Cannot save the checkpoint of source '" + source + "' to ZooKeeper node "
                    + path(source) + ": with its schema history (" + (history == null ? 0 : history.length)
                    + " bytes, the definitions of the tables the source decodes) the write is " + size
                    + " bytes, more than ZooKeeper accepts (jute.maxbuffer, " + maxRequestBytes + " bytes). Use"
                    + " canal.checkpoint.store=jdbc or file, or raise jute.maxbuffer on every ZooKeeper server and in"
                    + " this application (-Djute.maxbuffer=<bytes>)");
        }
    }

    private boolean exists(String path) {
        try {
            return client.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw failure("look for", path, e);
        }
    }

    private void ensureParent(String source) throws Exception {
        String parent = root + "/" + source;
        if (client.checkExists().forPath(parent) == null) {
            try {
                client.create().creatingParentsIfNeeded().forPath(parent);
            } catch (KeeperException.NodeExistsException created) {
                // by another instance
            }
        }
    }

    private static int version(List<CuratorTransactionResult> results, String path) {
        for (CuratorTransactionResult result : results) {
            if (result.getForPath().equals(path)) {
                if (result.getType() == OperationType.SET_DATA) {
                    return result.getResultStat().getVersion();
                }
                if (result.getType() == OperationType.CREATE) {
                    return 0;
                }
            }
        }
        throw new IllegalStateException("ZooKeeper's transaction result has no write of " + path);
    }

    private static Checkpoint withHistory(Checkpoint c, String history) {
        return new Checkpoint(c.source(), c.file(), c.position(), c.gtidSet(), c.savedAt(), c.server(), history,
                c.snapshot());
    }

    private static CheckpointException failure(String what, String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new CheckpointException("Cannot " + what + " ZooKeeper node " + path + " (" + e + "); check that"
                + " ZooKeeper is reachable (canal.ha.zookeeper.connect-string) and that this client may read and"
                + " write under the node", e);
    }

    private static CheckpointException unparsable(String path, String source, String why, Throwable cause) {
        return new CheckpointException("ZooKeeper node " + path + " of source '" + source + "' cannot be parsed ("
                + why + "): it is damaged or was not written by this starter. Delete it to start the source from its"
                + " configured start (changes since the lost position are then not delivered unless that start"
                + " covers them), or correct it: it is a properties text with the lines source, file, position,"
                + " gtid-set and saved-at", cause);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
