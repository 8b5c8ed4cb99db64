package dev.canalboot.ha;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

import java.time.Duration;

/**
 * A source's election on a lock row of the application's DataSource: Spring Integration's
 * {@link LockRegistryLeaderInitiator} over a {@link JdbcLockRegistry}. The leader renews the row's expiry every
 * heartbeat; a standby takes the row once it expired (lease) and polls for it meanwhile.
 */
final class JdbcLeaderElection implements LeaderElection {

    private final String source;
    private final String instanceId;
    private final ElectionListener listener;
    private final Duration lease;
    private final LockRepository repository;
    private final String table;
    private final Lease held;
    private volatile LockRegistryLeaderInitiator initiator;
    private volatile Context context;

    JdbcLeaderElection(String source, String instanceId, ElectionListener listener, LockRepository repository,
                       String table, Duration lease) {
        this.source = source;
        this.instanceId = instanceId;
        this.listener = listener;
        this.lease = lease;
        this.table = table;
        this.held = new Lease(lease);
        this.repository = new LeaseRecordingRepository(repository, held);
    }

    static String lockKey(String source) {
        return "canal-source:" + source;
    }

    @Override
    public synchronized void start() {
        JdbcLockRegistry registry = new JdbcLockRegistry(repository, lease);
        registry.setIdleBetweenTries(Duration.ofMillis(Math.max(50, lease.toMillis() / 20)));
        LockRegistryLeaderInitiator created = new LockRegistryLeaderInitiator(registry, new Candidate() {
            @Override
            public String getRole() {
                return lockKey(source);
            }

            @Override
            public String getId() {
                return instanceId;
            }

            @Override
            public void onGranted(Context granted) {
                context = granted;
                listener.elected();
            }

            @Override
            public void onRevoked(Context revoked) {
                held.end();
                listener.deposed("the lock row in " + table + " was lost or released");
            }
        });
        // Renew well within the lease; a standby tries for the lock as often.
        created.setHeartBeatMillis(Math.max(50, lease.toMillis() / 5));
        created.setBusyWaitMillis(Math.max(50, lease.toMillis() / 10));
        created.setTaskExecutor(new SimpleAsyncTaskExecutor("canal-ha-election-" + source + "-"));
        created.setAutoStartup(false);
        initiator = created;
        created.start();
    }

    @Override
    public void yieldLeadership() {
        Context current = context;
        if (current != null && current.isLeader()) {
            current.yield();
        }
    }

    @Override
    public Lease lease() {
        return held;
    }

    @Override
    public String describe() {
        return "lock '" + lockKey(source) + "' in table " + table + ", lease " + lease;
    }

    @Override
    public synchronized void close() {
        LockRegistryLeaderInitiator current = initiator;
        if (current != null) {
            current.stop();
            initiator = null;
        }
        held.end();
    }

    /** Notes when the lock row was last taken or renewed: the lease runs from the start of that statement. */
    private record LeaseRecordingRepository(LockRepository delegate, Lease lease) implements LockRepository {

        @Override
        public boolean acquire(String lock, Duration ttl) {
            long started = System.nanoTime();
            boolean acquired = delegate.acquire(lock, ttl);
            if (acquired) {
                lease.renewed(started);
            }
            return acquired;
        }

        @Override
        public boolean renew(String lock, Duration ttl) {
            long started = System.nanoTime();
            boolean renewed = delegate.renew(lock, ttl);
            if (renewed) {
                lease.renewed(started);
            }
            return renewed;
        }

        @Override
        public boolean isAcquired(String lock) {
            return delegate.isAcquired(lock);
        }

        @Override
        public boolean delete(String lock) {
            return delegate.delete(lock);
        }

        @Override
        public void deleteExpired() {
            delegate.deleteExpired();
        }

        @Override
        public void close() {
            // the shared repository is closed once, by the coordinator
        }
    }
}
