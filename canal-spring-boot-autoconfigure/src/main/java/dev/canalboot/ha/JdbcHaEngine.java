package dev.canalboot.ha;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import javax.sql.DataSource;
import java.time.Duration;

/** {@code ha.mode=jdbc}: elections on Spring Integration's lock table, epochs beside it. */
public final class JdbcHaEngine implements HaEngine {

    private final JdbcEpochs epochs;
    private final DefaultLockRepository repository;
    private final Duration lease;

    public JdbcHaEngine(DataSource dataSource, String tablePrefix, String instanceId, Duration lease) {
        this.epochs = new JdbcEpochs(dataSource, tablePrefix);
        this.lease = lease;
        epochs.createTables();
        repository = new DefaultLockRepository(dataSource, instanceId);
        repository.setPrefix(tablePrefix);
        repository.setRegion("canal");
        repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
    }

    @Override
    public EpochSource epochs() {
        return epochs;
    }

    @Override
    public LeaderElection election(String source, String instanceId, ElectionListener listener) {
        return new JdbcLeaderElection(source, instanceId, listener, repository, epochs.lockTable(), lease);
    }

    @Override
    public void close() {
        repository.close();
    }
}
