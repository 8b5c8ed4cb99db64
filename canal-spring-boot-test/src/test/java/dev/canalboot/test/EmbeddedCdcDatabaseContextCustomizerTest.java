package dev.canalboot.test;

import dev.canalboot.embedded.RowMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What does not need a server: equal annotations make equal customizers (so Spring's context cache shares their
 * contexts), and the change recorder is added only when the context has none. The properties and beans it gives a
 * context against a real server: {@code OrderListenerMySqlIT} and the other {@code @EmbeddedCdcDatabase} tests.
 */
class EmbeddedCdcDatabaseContextCustomizerTest {

    @EmbeddedCdcDatabase
    static class Defaults {
    }

    @EmbeddedCdcDatabase
    static class AlsoDefaults {
    }

    @EmbeddedCdcDatabase(CdcDatabase.MARIADB_11_4)
    static class MariaDb {
    }

    @EmbeddedCdcDatabase(gtid = false)
    static class WithoutGtid {
    }

    @EmbeddedCdcDatabase(rowMetadata = RowMetadata.MINIMAL)
    static class MinimalMetadata {
    }

    @EmbeddedCdcDatabase(initSql = "CREATE DATABASE IF NOT EXISTS shop")
    static class WithInitSql {
    }

    @EmbeddedCdcDatabase(initSql = "CREATE DATABASE IF NOT EXISTS shop")
    static class WithTheSameInitSql {
    }

    @EmbeddedCdcDatabase(database = "shop")
    static class WithDatabase {
    }

    @EmbeddedCdcDatabase(streamingTimeoutSeconds = 0)
    static class NotWaiting {
    }

    private static EmbeddedCdcDatabaseContextCustomizer customizer(Class<?> test) {
        return new EmbeddedCdcDatabaseContextCustomizer(test.getAnnotation(EmbeddedCdcDatabase.class));
    }

    @Test
    void equalAnnotationsMakeEqualCustomizers() {
        assertThat(customizer(Defaults.class)).isEqualTo(customizer(AlsoDefaults.class))
                .hasSameHashCodeAs(customizer(AlsoDefaults.class));
        assertThat(customizer(WithInitSql.class)).isEqualTo(customizer(WithTheSameInitSql.class))
                .hasSameHashCodeAs(customizer(WithTheSameInitSql.class));
    }

    @Test
    void everyAttributeTellsCustomizersApart() {
        EmbeddedCdcDatabaseContextCustomizer defaults = customizer(Defaults.class);
        for (Class<?> other : new Class<?>[]{MariaDb.class, WithoutGtid.class, MinimalMetadata.class, WithInitSql.class,
                WithDatabase.class, NotWaiting.class}) {
            assertThat(customizer(other)).as(other.getSimpleName()).isNotEqualTo(defaults);
        }
        assertThat(defaults).isNotEqualTo(null).isNotEqualTo("customizer");
    }

    @Test
    void theFactoryFindsTheAnnotationOrGivesNothing() {
        EmbeddedCdcDatabaseContextCustomizerFactory factory = new EmbeddedCdcDatabaseContextCustomizerFactory();

        assertThat(factory.createContextCustomizer(MariaDb.class, java.util.List.of()))
                .isEqualTo(customizer(MariaDb.class));
        assertThat(factory.createContextCustomizer(EmbeddedCdcDatabaseContextCustomizerTest.class, java.util.List.of()))
                .isNull();
    }

    @Test
    void aChangeRecorderIsAddedOnlyWhenTheContextDefinesNone() {
        DefaultListableBeanFactory empty = new DefaultListableBeanFactory();
        new EmbeddedCdcDatabaseContextCustomizer.ChangeRecorderIfMissing().postProcessBeanDefinitionRegistry(empty);
        assertThat(empty.getBeanNamesForType(ChangeRecorder.class)).containsExactly("embeddedCdcChangeRecorder");

        DefaultListableBeanFactory own = new DefaultListableBeanFactory();
        own.registerBeanDefinition("mine", new RootBeanDefinition(ChangeRecorder.class));
        new EmbeddedCdcDatabaseContextCustomizer.ChangeRecorderIfMissing().postProcessBeanDefinitionRegistry(own);
        assertThat(own.getBeanNamesForType(ChangeRecorder.class)).containsExactly("mine");
    }
}
