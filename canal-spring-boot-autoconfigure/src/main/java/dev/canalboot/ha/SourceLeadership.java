package dev.canalboot.ha;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.listener.container.CanalListenerContainer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One source under high availability in this instance: its container runs only while the election says this
 * instance leads. Elected, it claims the next epoch, fences the checkpoint store at it and starts the container;
 * deposed (the engine says so, the lease ran out, or the store refused a write) it stops the container at once,
 * rolling back what is in flight, and stands by. Role changes run one at a time on the source's own thread.
 */
public final class SourceLeadership {

    private static final Logger log = LoggerFactory.getLogger(SourceLeadership.class);

    private final String source;
    private final String instanceId;
    private final HaMode mode;
    private final CanalListenerContainer container;
    private final EpochSource epochs;
    /** Null for a source that keeps no checkpoint of ours (a Canal source: the server keeps its cursor). */
    private final LeaderFencedCheckpointStore store;
    private final Duration stopTimeout;
    private final ExecutorService roleChanges;
    private LeaderElection election;

    private volatile HaRole role = HaRole.STANDBY;
    /** True from the election's grant until its revocation: the container may deliver only while it holds. */
    private volatile boolean leading;
    private volatile Epoch epoch;
    private final AtomicLong elections = new AtomicLong();
    private final AtomicLong leaderNanos = new AtomicLong();
    private volatile long leaderSince;

    SourceLeadership(String source, String instanceId, HaMode mode, CanalListenerContainer container,
                     EpochSource epochs, LeaderFencedCheckpointStore store) {
        this.source = source;
        this.instanceId = instanceId;
        this.mode = mode;
        this.container = container;
        this.epochs = epochs;
        this.store = store;
        this.stopTimeout = container.getSettings().shutdownTimeout().plusSeconds(5);
        this.roleChanges = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "canal-ha-" + source);
            t.setDaemon(true);
            return t;
        });
        container.setDeliveryPermit(this::mayDeliver);
    }

    void start(LeaderElection election) {
        this.election = election;
        log.info("Source '{}' is under high availability ({}, {}): instance {} stands by until elected", source,
                mode.name().toLowerCase(), election.describe(), instanceId);
        election.start();
    }

    /** Stops the container gracefully, then leaves the election (another instance takes over at once). */
    void stop() {
        if (leading) {
            container.stop();
        }
        LeaderElection e = election;
        if (e != null) {
            e.close();
        }
        roleChanges.shutdown();
        try {
            roleChanges.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- election callbacks

    ElectionListener listener() {
        return new ElectionListener() {
            @Override
            public void elected() {
                leading = true;
                roleChanges.execute(SourceLeadership.this::becomeLeader);
            }

            @Override
            public void deposed(String reason) {
                stepDown(reason, false);
            }
        };
    }

    /** The checkpoint store refused a write of this instance: another one leads now. */
    void refused(Exception error) {
        stepDown(error.getMessage(), true);
    }

    private boolean mayDeliver() {
        if (!leading) {
            return false;
        }
        LeaderElection e = election;
        if (e != null && !e.lease().valid()) {
            stepDown("its leadership lease ran out (the process was paused or the election engine unreachable)", true);
            return false;
        }
        return true;
    }

    /** Takes effect at once (no more checkpoint writes, the container aborts), the rest on the role thread. */
    private void stepDown(String reason, boolean yieldElection) {
        boolean was = leading;
        leading = false;
        if (store != null) {
            store.revoke(source);
        }
        container.stopNow(() -> {
        });
        if (was || role == HaRole.LEADER) {
            log.warn("Source '{}': instance {} lost the leadership: {}", source, instanceId, reason);
        }
        try {
            roleChanges.execute(() -> becomeStandby(yieldElection));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // stop() is under way
        }
    }

    // ---------------------------------------------------------------- role thread

    private void becomeLeader() {
        if (!leading || role == HaRole.LEADER) {
            return;
        }
        try {
            Epoch claimed = epochs.next(source, instanceId);
            if (store != null) {
                store.grant(source, claimed.value());
            }
            if (!leading) { // deposed while claiming
                if (store != null) {
                    store.revoke(source);
                }
                return;
            }
            epoch = claimed;
            role = HaRole.LEADER;
            elections.incrementAndGet();
            leaderSince = System.nanoTime();
            log.info("Source '{}': instance {} is now the leader (epoch {}); starting its container", source,
                    instanceId, claimed.value());
            if (container.getSource() instanceof BinlogChangeSource binlog) {
                binlog.reloadCheckpoint(); // the previous leader read on since this instance last did
            }
            container.start();
        } catch (RuntimeException e) {
            log.error("Source '{}': instance {} was elected but could not take over; stepping down", source,
                    instanceId, e);
            stepDown("taking over failed: " + e.getMessage(), true);
        }
    }

    private void becomeStandby(boolean yieldElection) {
        if (leading) {
            return; // elected again meanwhile: becomeLeader runs next
        }
        awaitContainerStopped();
        if (role == HaRole.LEADER) {
            leaderNanos.addAndGet(System.nanoTime() - leaderSince);
            role = HaRole.STANDBY;
            log.info("Source '{}': instance {} is now a standby (container {})", source, instanceId,
                    container.getState());
        }
        LeaderElection e = election;
        if (yieldElection && e != null) {
            e.yieldLeadership();
        }
    }

    private void awaitContainerStopped() {
        CountDownLatch stopped = new CountDownLatch(1);
        container.stopNow(stopped::countDown);
        try {
            if (!stopped.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("Source '{}': the container did not stop within {} after the leadership ended", source,
                        stopTimeout);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- what the actuator reads

    public String getSource() {
        return source;
    }

    public HaMode getMode() {
        return mode;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public HaRole getRole() {
        return role;
    }

    /** The epoch this instance leads with, or null while it stands by. */
    public @Nullable Epoch getEpoch() {
        return role == HaRole.LEADER ? epoch : null;
    }

    /** The current (or last) leader as the election engine records it; empty when none was ever elected. */
    public Optional<Epoch> getLeader() {
        if (role == HaRole.LEADER && epoch != null) {
            return Optional.of(epoch);
        }
        try {
            return epochs.current(source);
        } catch (RuntimeException e) {
            log.debug("Source '{}': cannot read the current leader", source, e);
            return Optional.empty();
        }
    }

    /** Times this instance became the source's leader. */
    public long getElections() {
        return elections.get();
    }

    /** Total time this instance led the source, the current term included. */
    public Duration getTimeAsLeader() {
        long current = role == HaRole.LEADER ? System.nanoTime() - leaderSince : 0;
        return Duration.ofNanos(leaderNanos.get() + current);
    }

    public String describeElection() {
        LeaderElection e = election;
        return e == null ? mode.name().toLowerCase() : e.describe();
    }
}
