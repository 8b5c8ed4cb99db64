package dev.canalboot.ha;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.JdbcCheckpointStore;
import dev.canalboot.checkpoint.StaleEpochException;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A leader frozen in the middle of a checkpoint save or an epoch claim (GC pause, SIGSTOP: simulated by a
 * connection that stops after its first statement) must hold no row lock that stalls the instance taking over:
 * on MySQL and MariaDB a waiting statement would otherwise block for {@code innodb_lock_wait_timeout} (50 s), and
 * again after each retry, for as long as the frozen process lives.
 */
class PausedWriterHoldsNoLockIT {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aSavePausedAfterItsFirstStatementDoesNotStallTheNextLeader(String product) throws Exception {
        MysqlDataSource ds = dataSource(product);
        String table = "cp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, table);
        store.fence("default", 1);
        store.save(new Checkpoint("default", "binlog.000001", 100, null, now), 1);

        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch thaw = new CountDownLatch(1);
        JdbcCheckpointStore frozenLeader = new JdbcCheckpointStore(pausingAfterFirstStatement(ds, paused, thaw), table);
        CompletableFuture<Void> frozenSave = CompletableFuture.runAsync(() -> frozenLeader.save(
                new Checkpoint("default", "binlog.000001", 200, null, now), 1));
        try {
            assertThat(paused.await(10, TimeUnit.SECONDS)).as("the first leader's save reached its pause").isTrue();
            CompletableFuture<Void> takeover = CompletableFuture.runAsync(() -> {
                store.fence("default", 2);
                store.save(new Checkpoint("default", "binlog.000002", 4, null, now), 2);
            });
            takeover.get(15, TimeUnit.SECONDS); // a held row lock would block it for 50 s
        } finally {
            thaw.countDown();
        }
        try {
            frozenSave.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StaleEpochException.class);
        }
        assertThat(store.load("default")).get().satisfies(cp -> {
            assertThat(cp.file()).isEqualTo("binlog.000002");
            assertThat(cp.position()).isEqualTo(4);
        });
        assertThatThrownBy(() -> frozenLeader.save(new Checkpoint("default", "binlog.000001", 300, null, now), 1))
                .as("the deposed leader's next save is refused").isInstanceOf(StaleEpochException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void anEpochClaimPausedAfterItsFirstStatementDoesNotStallTheNextClaim(String product) throws Exception {
        MysqlDataSource ds = dataSource(product);
        String prefix = "ha" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        JdbcEpochs epochs = new JdbcEpochs(ds, prefix);
        epochs.createTables();
        assertThat(epochs.next("default", "a").value()).isEqualTo(1);

        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch thaw = new CountDownLatch(1);
        JdbcEpochs frozen = new JdbcEpochs(pausingAfterFirstStatement(ds, paused, thaw), prefix);
        CompletableFuture<Epoch> frozenClaim = CompletableFuture.supplyAsync(() -> frozen.next("default", "a"));
        Epoch taken;
        try {
            assertThat(paused.await(10, TimeUnit.SECONDS)).as("the frozen claim reached its pause").isTrue();
            taken = CompletableFuture.supplyAsync(() -> epochs.next("default", "b")).get(15, TimeUnit.SECONDS);
        } finally {
            thaw.countDown();
        }
        Epoch late = frozenClaim.get(15, TimeUnit.SECONDS);
        assertThat(taken.value()).isEqualTo(2);
        assertThat(late.value()).as("the thawed claim does not reuse the epoch taken meanwhile").isEqualTo(3);
        assertThat(epochs.current("default")).get().satisfies(e -> assertThat(e.holder()).isEqualTo("a"));
    }

    private static MysqlDataSource dataSource(String product) {
        EmbeddedDatabase server = product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        server.execute("CREATE DATABASE IF NOT EXISTS ha_paused");
        MysqlDataSource ds = new MysqlDataSource();
        ds.setUrl(server.jdbcUrl("ha_paused"));
        ds.setUser(server.rootUser());
        ds.setPassword(server.rootPassword());
        return ds;
    }

    /** Connections that stop, once, right after the first statement executed on them, until {@code thaw}. */
    private static DataSource pausingAfterFirstStatement(DataSource target, CountDownLatch paused, CountDownLatch thaw) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = call(target, method, args);
                    if (result instanceof Connection connection) {
                        boolean[] executed = {false};
                        return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                                new Class<?>[]{Connection.class}, (cp, cm, ca) -> {
                                    Object r = call(connection, cm, ca);
                                    if (r instanceof PreparedStatement statement) {
                                        return pausing(statement, executed, paused, thaw);
                                    }
                                    return r;
                                });
                    }
                    return result;
                });
    }

    private static PreparedStatement pausing(PreparedStatement statement, boolean[] executed, CountDownLatch paused,
                                             CountDownLatch thaw) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = call(statement, method, args);
            if (method.getName().startsWith("execute") && !executed[0]) {
                executed[0] = true;
                paused.countDown();
                thaw.await(60, TimeUnit.SECONDS);
            }
            return result;
        };
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, handler);
    }

    private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
