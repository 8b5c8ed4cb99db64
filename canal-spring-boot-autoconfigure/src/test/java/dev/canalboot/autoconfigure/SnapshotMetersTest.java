package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.testsupport.InMemoryChangeSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot gauges each binlog source gets, before any snapshot ran (no server). Their values during and after
 * a snapshot, and the per-table gauges: {@link SnapshotAutoConfigurationMySqlIT}.
 */
class SnapshotMetersTest {

    private static final String[] SOURCE_GAUGES = {"canal.snapshot.tables", "canal.snapshot.tables.done",
            "canal.snapshot.rows", "canal.snapshot.chunks", "canal.snapshot.running"};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    private static BinlogChangeSource binlog(String name) {
        return new BinlogChangeSource(BinlogSourceSettings.builder(name, "127.0.0.1", 3306, "repl", "pw").build());
    }

    @Test
    void eachBinlogSourceGetsTheSourceGaugesTaggedWithItsNameAtZeroBeforeItsFirstSnapshot() {
        beans.registerSingleton("a", binlog("orders"));
        beans.registerSingleton("b", binlog("billing"));

        new SnapshotMeters(registry, beans.getBeanProvider(ChangeSource.class), 10).afterSingletonsInstantiated();

        for (String source : new String[]{"orders", "billing"}) {
            for (String name : SOURCE_GAUGES) {
                Gauge gauge = registry.find(name).tag("source", source).gauge();
                assertThat(gauge).as("%s of %s", name, source).isNotNull();
                assertThat(gauge.value()).as("%s of %s", name, source).isZero();
                assertThat(gauge.getId().getDescription()).isNotBlank();
            }
        }
        assertThat(registry.getMeters()).as("no table gauges before a snapshot named tables").hasSize(10);
    }

    @Test
    void otherSourcesGetNone() {
        beans.registerSingleton("a", new InMemoryChangeSource("memory"));

        new SnapshotMeters(registry, beans.getBeanProvider(ChangeSource.class), 10).afterSingletonsInstantiated();

        assertThat(registry.getMeters()).isEmpty();
    }
}
