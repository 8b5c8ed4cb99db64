package dev.canalboot.ha;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A source's election on a ZooKeeper leader latch (Apache Curator) at {@code <root>/<source>/leader}. Curator drops
 * the leadership as soon as the connection is suspended; the session timeout bounds the takeover. While leading,
 * a round trip every fifth of the session timeout renews the lease: ZooKeeper cannot expire the session sooner
 * than a session timeout after a request it answered.
 */
final class ZooKeeperLeaderElection implements LeaderElection {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperLeaderElection.class);

    private final String source;
    private final String instanceId;
    private final ElectionListener listener;
    private final CuratorFramework client;
    private final String path;
    private final Duration sessionTimeout;
    private final Lease held;
    private final ScheduledExecutorService renewer;
    private LeaderLatch latch;

    ZooKeeperLeaderElection(String source, String instanceId, ElectionListener listener, CuratorFramework client,
                            String root, Duration sessionTimeout) {
        this.source = source;
        this.instanceId = instanceId;
        this.listener = listener;
        this.client = client;
        this.path = root + "/" + source + "/leader";
        this.sessionTimeout = sessionTimeout;
        this.held = new Lease(sessionTimeout);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "canal-ha-lease-" + source);
            t.setDaemon(true);
            return t;
        });
    }

    /** Tells the source: one instance for every latch this election creates. */
    private final LeaderLatchListener latchListener = new LeaderLatchListener() {
        @Override
        public void isLeader() {
            renew();
            listener.elected();
        }

        @Override
        public void notLeader() {
            held.end();
            listener.deposed("the ZooKeeper leader latch " + path + " was lost (connection suspended or session"
                    + " expired)");
        }
    };

    private LeaderLatch newLatch() {
        LeaderLatch created = new LeaderLatch(client, path, instanceId);
        created.addListener(latchListener);
        return created;
    }

    @Override
    public synchronized void start() {
        LeaderLatch created = newLatch();
        latch = created;
        try {
            created.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot join the ZooKeeper leader latch " + path, e);
        }
        long period = Math.max(20, sessionTimeout.toMillis() / 5);
        renewer.scheduleWithFixedDelay(this::renewIfLeading, period, period, TimeUnit.MILLISECONDS);
    }

    private void renewIfLeading() {
        LeaderLatch current;
        synchronized (this) {
            current = latch;
        }
        if (current != null && current.hasLeadership()) {
            renew();
        }
    }

    private void renew() {
        long started = System.nanoTime();
        try {
            if (client.checkExists().forPath(path) != null) {
                held.renewed(started);
            }
        } catch (Exception e) {
            log.debug("Source '{}': lease renewal round trip to ZooKeeper failed", source, e);
        }
    }

    @Override
    public synchronized void yieldLeadership() {
        LeaderLatch current = latch;
        if (current == null) {
            return;
        }
        held.end();
        try {
            current.close(LeaderLatch.CloseMode.SILENT);
        } catch (Exception e) {
            log.debug("Source '{}': closing the leader latch to yield failed", source, e);
        }
        latch = null;
        renewer.execute(() -> {
            synchronized (this) {
                if (latch == null && !renewer.isShutdown()) {
                    LeaderLatch again = newLatch();
                    latch = again;
                    try {
                        again.start();
                    } catch (Exception e) {
                        log.error("Source '{}': cannot rejoin the ZooKeeper leader latch {}", source, path, e);
                    }
                }
            }
        });
    }

    @Override
    public Lease lease() {
        return held;
    }

    @Override
    public String describe() {
        return "leader latch " + path + " on " + client.getZookeeperClient().getCurrentConnectionString()
                + ", session timeout " + sessionTimeout;
    }

    @Override
    public synchronized void close() {
        renewer.shutdownNow();
        held.end();
        LeaderLatch current = latch;
        latch = null;
        if (current != null) {
            try {
                current.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
            } catch (Exception e) {
                log.debug("Source '{}': closing the leader latch failed", source, e);
            }
        }
    }
}
