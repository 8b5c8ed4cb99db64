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
 * file store's properties text plus the line {@code leader-epoch}, and a binlog source's schema history is a child
 * node {@code history-<hash>} named by it, written only when it changes.
 * <p>
 * Every write is conditional on the node's version, so the epoch a write compared with is the epoch it replaces:
 * a deposed leader's write either finds the newer epoch or is refused by ZooKeeper itself ({@code BadVersion}),
 * re-reads and then finds it. A new history node, the checkpoint that names it and the removal of the history it
 * replaces are one ZooKeeper transaction: the checkpoint always names a complete history, and nothing is left
 * behind by a refused write.
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
    /** Per source: the node as this store last wrote or read it; a write conditional on its version needs no read. */
    private final Map<String, Node> known = new ConcurrentHashMap<>();

    /**
     * The node of a source as written: its version, its checkpoint without the history (null: only a fence), the
     * epoch (null: never fenced), the history child it names and that history's content.
     */
    private record Node(int version, Checkpoint checkpoint, Long epoch, String historyNode, String history) {
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

    @Override
    public String location(String source) {
        return "ZooKeeper node " + path(source);
    }

    @Override
    public Optional<Checkpoint> load(String source) {
        known.remove(source);
        Node node = read(source);
        if (node == null) {
            return Optional.empty();
        }
        known.put(source, node);
        return Optional.ofNullable(node.checkpoint() == null ? null : withHistory(node.checkpoint(), node.history()));
    }

    @Override
    public void save(Checkpoint checkpoint) {
        write(checkpoint, null);
    }

    @Override
    public void save(Checkpoint checkpoint, long epoch) {
        write(checkpoint, epoch);
    }

    /** Writes the node with the epoch it has now (a plain save) or with {@code epoch} unless the node's is higher. */
    private void write(Checkpoint cp, Long epoch) {
        String source = cp.source();
        String path = path(source);
        String history = cp.schemaHistory();
        String historyNode = history == null ? null : HISTORY + CheckpointText.hash(history);
        boolean historyMayExist = false;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Node node = known.containsKey(source) ? known.get(source) : read(source);
            if (epoch != null && node != null && node.epoch() != null && node.epoch() > epoch) {
                known.remove(source);
                throw new StaleEpochException(source, epoch, node.epoch(), location(source));
            }
            Long written = epoch != null ? epoch : node == null ? null : node.epoch();
            Checkpoint bare = withHistory(cp, null);
            byte[] data = render(bare, written, historyNode);
            String oldHistory = node == null ? null : node.historyNode();
            boolean createHistory = historyNode != null && !historyNode.equals(oldHistory)
                    && !(historyMayExist && exists(path + "/" + historyNode));
            byte[] historyData = createHistory ? history.getBytes(StandardCharsets.UTF_8) : null;
            checkSize(source, data, historyData);
            List<CuratorOp> ops = new ArrayList<>();
            try {
                if (node == null) {
                    ensureParent(source);
                    ops.add(client.transactionOp().create().forPath(path, data));
                } else {
                    ops.add(client.transactionOp().setData().withVersion(node.version()).forPath(path, data));
                }
                if (createHistory) {
                    ops.add(client.transactionOp().create().forPath(path + "/" + historyNode, historyData));
                }
                if (oldHistory != null && !oldHistory.equals(historyNode)) {
                    ops.add(client.transactionOp().delete().forPath(path + "/" + oldHistory));
                }
                int version = version(client.transaction().forOperations(ops), path);
                known.put(source, new Node(version, bare, written, historyNode, history));
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                     | KeeperException.NodeExistsException changed) {
                // Another writer (a new leader's fence, a save, a delete) came first: read again and decide again.
                known.remove(source);
                historyMayExist |= changed instanceof KeeperException.NodeExistsException;
            } catch (Exception e) {
                known.remove(source); // not known what the node holds now
                throw failure("save the checkpoint of source '" + source + "' to", path, e);
            }
        }
        throw new CheckpointException("Cannot save the checkpoint of source '" + source + "' to ZooKeeper node " + path
                + ": it changed under " + ATTEMPTS + " attempts in a row (another instance writes the same source;"
                + " give each instance's sources distinct names or use ha.mode so that one instance writes)");
    }

    /**
     * Raises the node's epoch, creating a node that holds only the epoch when the source has no checkpoint yet: a
     * deposed leader cannot write a first checkpoint after its successor fenced either.
     */
    @Override
    public void fence(String source, long epoch) {
        String path = path(source);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            known.remove(source);
            Node node = read(source);
            if (node != null && node.epoch() != null && node.epoch() >= epoch) {
                known.put(source, node);
                return;
            }
            try {
                if (node == null) {
                    ensureParent(source);
                    client.create().forPath(path, render(null, epoch, null));
                    known.put(source, new Node(0, null, epoch, null, null));
                } else {
                    Stat stat = client.setData().withVersion(node.version())
                            .forPath(path, render(node.checkpoint(), epoch, node.historyNode()));
                    known.put(source, new Node(stat.getVersion(), node.checkpoint(), epoch, node.historyNode(),
                            node.history()));
                }
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                     | KeeperException.NodeExistsException changed) {
                // written meanwhile: read again
            } catch (Exception e) {
                throw failure("fence the checkpoint of source '" + source + "' at epoch " + epoch + " in", path, e);
            }
        }
        throw new CheckpointException("Cannot fence the checkpoint of source '" + source + "' at ZooKeeper node "
                + path + ": it changed under " + ATTEMPTS + " attempts in a row");
    }

    /**
     * Forgets the checkpoint and its history but keeps the epoch (a node with only the fence), so that a deposed
     * leader cannot write the checkpoint back.
     */
    @Override
    public void delete(String source) {
        String path = path(source);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            known.remove(source);
            Node node = read(source);
            if (node == null || node.checkpoint() == null) {
                return;
            }
            try {
                List<CuratorOp> ops = new ArrayList<>();
                if (node.epoch() == null) {
                    ops.add(client.transactionOp().delete().withVersion(node.version()).forPath(path));
                    if (node.historyNode() != null) {
                        ops.add(0, client.transactionOp().delete().forPath(path + "/" + node.historyNode()));
                    }
                } else {
                    ops.add(client.transactionOp().setData().withVersion(node.version())
                            .forPath(path, render(null, node.epoch(), null)));
                    if (node.historyNode() != null) {
                        ops.add(client.transactionOp().delete().forPath(path + "/" + node.historyNode()));
                    }
                }
                client.transaction().forOperations(ops);
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                     | KeeperException.NotEmptyException changed) {
                // written meanwhile: read again
            } catch (Exception e) {
                throw failure("delete the checkpoint of source '" + source + "' from", path, e);
            }
        }
        throw new CheckpointException("Cannot delete the checkpoint of source '" + source + "' at ZooKeeper node "
                + path + ": it changed under " + ATTEMPTS + " attempts in a row");
    }

    /** The node of {@code source} with the history it names, or null when there is none. */
    private Node read(String source) {
        String path = path(source);
        Stat stat = new Stat();
        String text;
        try {
            text = new String(client.getData().storingStatIn(stat).forPath(path), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException none) {
            return null;
        } catch (Exception e) {
            throw failure("read the checkpoint of source '" + source + "' from", path, e);
        }
        Properties p;
        Long epoch;
        try {
            p = CheckpointText.parse(text);
            String epochLine = CheckpointText.emptyToNull(p.getProperty(EPOCH));
            epoch = epochLine == null ? null : Long.valueOf(epochLine.trim());
        } catch (RuntimeException e) {
            throw unparsable(path, source, e.getMessage(), e);
        }
        if (p.getProperty("source") == null && epoch != null) {
            return new Node(stat.getVersion(), null, epoch, null, null); // fenced, never saved
        }
        String missing = CheckpointText.missing(p);
        if (missing != null) {
            throw unparsable(path, source, text.isBlank() ? "the node is empty" : "it has no '" + missing + "' line",
                    null);
        }
        if (!source.equals(p.getProperty("source"))) {
            throw new CheckpointException("ZooKeeper node " + path + " holds the checkpoint of source '"
                    + p.getProperty("source") + "', not '" + source + "'; delete it to start source '" + source
                    + "' from its configured start");
        }
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointText.checkpoint(source, p, null);
        } catch (RuntimeException e) {
            throw unparsable(path, source, e.getMessage(), e);
        }
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
        return new Node(stat.getVersion(), checkpoint, epoch, historyNode, history);
    }

    private static byte[] render(Checkpoint bare, Long epoch, String historyNode) {
        String tail = CheckpointText.line("the node of the table definitions the binlog source decodes with at this"
                + " position", HISTORY_NODE, historyNode)
                + CheckpointText.line("the leader epoch that wrote or fenced it last: lower epochs are refused",
                EPOCH, epoch == null ? null : epoch.toString());
        String text = bare == null ? "# canal-spring-boot-starter: fenced, no checkpoint saved yet\n" + tail
                : CheckpointText.render(bare, tail);
        return text.getBytes(StandardCharsets.UTF_8);
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
                + " gtid-set, saved-at and " + EPOCH, cause);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
