package dev.canalboot.autoconfigure;

import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.kafka.MessageFormat;
import dev.canalboot.source.ChangeSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code type: kafka} sources from properties, on top of Spring Boot's Kafka configuration. */
class CanalKafkaAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class, KafkaAutoConfiguration.class,
                    CanalKafkaAutoConfiguration.class))
            .withPropertyValues("canal.checkpoint.store=file", "canal.checkpoint.file.directory=target/kafka-checkpoints");

    @Test
    void aKafkaSourceTakesSpringBootsConnectionAndItsOwnTopicsAndFormat() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092,broker2:9092",
                        "spring.kafka.consumer.group-id=shop", "spring.kafka.consumer.max-poll-records=77",
                        "canal.sources.orders.kafka.topics=canal-orders", "canal.sources.orders.kafka.format=protobuf",
                        "canal.sources.orders.server-time-zone=UTC", "canal.sources.orders.connect-timeout=3s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ChangeSource source = context.getBean("canalSource.orders", ChangeSource.class);
                    assertThat(source).isInstanceOf(KafkaChangeSource.class);
                    KafkaSourceSettings settings = ((KafkaChangeSource) source).settings();
                    assertThat(settings.servers()).isEqualTo("broker1:9092,broker2:9092");
                    assertThat(settings.consumerProperties()).containsEntry("group.id", "shop")
                            .containsEntry("max.poll.records", 77);
                    assertThat(settings.topics()).containsExactly("canal-orders");
                    assertThat(settings.format()).isEqualTo(MessageFormat.PROTOBUF);
                    assertThat(settings.serverZone().getId()).isEqualTo("UTC");
                    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void withoutItsJsonLibraryAKafkaSourceFailsNamingTheDependency() {
        runner.withClassLoader(new FilteredClassLoader("com.alibaba.fastjson2"))
                .withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=g",
                        "canal.sources.orders.kafka.topics=a")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("canal.sources.orders.type")
                            .hasMessageContaining("it needs com.alibaba.fastjson2:fastjson2, not on the class path")
                            .hasMessageContaining("Add com.alibaba.fastjson2:fastjson2 to the application's dependencies")
                            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("kafka-clients"));
                });
    }

    @Test
    void theSourcesKafkaGroupWinsOverSpringKafka() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=shop",
                        "canal.sources.orders.type=kafka", "canal.sources.orders.kafka.topics=a,b",
                        "canal.sources.orders.kafka.bootstrap-servers=other:9093",
                        "canal.sources.orders.kafka.group-id=orders",
                        "canal.sources.orders.kafka.properties[max.poll.records]=5")
                .run(context -> {
                    KafkaSourceSettings settings = ((KafkaChangeSource) context.getBean("canalSource.orders",
                            ChangeSource.class)).settings();
                    assertThat(settings.servers()).isEqualTo("other:9093");
                    assertThat(settings.consumerProperties()).containsEntry("group.id", "orders")
                            .containsEntry("max.poll.records", "5");
                    assertThat(settings.topics()).containsExactly("a", "b");
                    assertThat(settings.format()).isEqualTo(MessageFormat.FLAT);
                    assertThat(settings.decodeThreads()).isEqualTo(KafkaSourceSettings.DEFAULT_DECODE_THREADS);
                });
    }

    @Test
    void decodeThreadsAreTheSourcesOwnAndANegativeCountFailsNamingTheProperty() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=g",
                        "canal.sources.orders.kafka.topics=a", "canal.sources.orders.kafka.decode-threads=0")
                .run(context -> assertThat(((KafkaChangeSource) context.getBean("canalSource.orders",
                        ChangeSource.class)).settings().decodeThreads()).isZero());
        runner.withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=g",
                        "canal.sources.orders.kafka.topics=a", "canal.sources.orders.kafka.decode-threads=-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("canal.sources.orders.kafka.decode-threads")
                            .hasMessageContaining("decode-threads is -1");
                });
    }

    @Test
    void eachKafkaSourceHasItsRecordsLagAndAbandonedBatchesMeters() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=g",
                        "canal.sources.orders.kafka.topics=a")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("canal.kafka.records.lag").tag("source", "orders").gauge().value())
                            .isZero();
                    assertThat(registry.get("canal.kafka.batches.abandoned").tag("source", "orders").functionCounter()
                            .count()).isZero();
                });
    }

    @Test
    void aKafkaSourceWithoutAGroupFailsNamingTheProperty() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "canal.sources.orders.kafka.topics=a")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("canal.sources.orders.kafka.group-id")
                            .hasMessageContaining("has no consumer group");
                });
    }

    @Test
    void aKafkaSourceWithoutTopicsFailsNamingTheProperty() {
        runner.withPropertyValues("spring.kafka.consumer.group-id=g", "canal.sources.orders.type=kafka")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("has no topics");
                });
    }

    @Test
    void aSourcesSslBundleIsPassedToKafkaClientsWithTls() {
        runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=g",
                        "spring.ssl.bundle.pem.kafka.truststore.certificate=classpath:test-ca.pem",
                        "canal.sources.orders.kafka.topics=a", "canal.sources.orders.kafka.ssl-bundle=kafka")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaSourceSettings settings = ((KafkaChangeSource) context.getBean("canalSource.orders",
                            ChangeSource.class)).settings();
                    assertThat(settings.consumerProperties())
                            .containsEntry("security.protocol", "SSL")
                            .containsEntry("ssl.engine.factory.class", KafkaSslBundles.ENGINE_FACTORY)
                            .containsKey(org.springframework.boot.ssl.SslBundle.class.getName());
                });
    }

    @Test
    void aSslBundleThatDoesNotExistFailsNamingTheProperty() {
        runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092", "spring.kafka.consumer.group-id=g",
                        "canal.sources.orders.kafka.topics=a", "canal.sources.orders.kafka.ssl-bundle=nope")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("canal.sources.orders.kafka.ssl-bundle")
                            .hasMessageContaining("SSL bundle 'nope' does not exist");
                });
    }
}
