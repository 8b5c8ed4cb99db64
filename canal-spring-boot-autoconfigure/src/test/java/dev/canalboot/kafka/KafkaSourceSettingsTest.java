package dev.canalboot.kafka;

import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSourceSettingsTest {

    @Test
    void theBuilderStartsFromTheDocumentedDefaults() {
        KafkaSourceSettings settings = KafkaSourceSettings.builder("orders").topic("canal-shop").build();

        assertThat(settings.name()).isEqualTo("orders");
        assertThat(settings.topics()).containsExactly("canal-shop");
        assertThat(settings.format()).isEqualTo(MessageFormat.FLAT);
        assertThat(settings.serverZone()).isEqualTo(ZoneId.systemDefault());
        assertThat(settings.zeroDates()).isEqualTo(ZeroDatePolicy.NULL);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.reconnectBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.maxReconnectBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxReconnectAttempts()).isNegative();
        assertThat(settings.consumerProperties()).containsExactly(Map.entry("max.poll.records", 2000));
    }

    @Test
    void laterConsumerPropertiesWinAndTheShortcutsSetTheirKeys() {
        KafkaSourceSettings settings = KafkaSourceSettings.builder("s")
                .consumerProperties(Map.of("bootstrap.servers", "a:9092", "group.id", "g1", "max.poll.records", 10))
                .bootstrapServers("b:9092")
                .groupId("g2")
                .consumerProperty("fetch.min.bytes", 1024)
                .topics(List.of("t1", "t2"))
                .topic("t3")
                .format(MessageFormat.PROTOBUF)
                .serverZone(ZoneOffset.UTC)
                .zeroDates(ZeroDatePolicy.ERROR)
                .connectTimeout(Duration.ofSeconds(3))
                .checkInterval(Duration.ofSeconds(7))
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(4))
                .maxReconnectAttempts(5)
                .build();

        assertThat(settings.consumerProperties()).containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("group.id", "g2").containsEntry("max.poll.records", 10)
                .containsEntry("fetch.min.bytes", 1024);
        assertThat(settings.topics()).containsExactly("t1", "t2", "t3");
        assertThat(settings.format()).isEqualTo(MessageFormat.PROTOBUF);
        assertThat(settings.serverZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(settings.zeroDates()).isEqualTo(ZeroDatePolicy.ERROR);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.checkInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(settings.reconnectBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.maxReconnectBackoff()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.maxReconnectAttempts()).isEqualTo(5);
    }

    @Test
    void aSourceWithoutTopicsIsRefusedByName() {
        assertThatThrownBy(() -> KafkaSourceSettings.builder("orders").bootstrapServers("a:9092").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Kafka source 'orders' has no topics");
        assertThatThrownBy(() -> KafkaSourceSettings.builder("orders").topic(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("topic");
        assertThatThrownBy(() -> KafkaSourceSettings.builder("orders").topic("t").format(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> KafkaSourceSettings.builder("orders").topic("t").serverZone(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("serverZone");
    }

    @Test
    void theSettingsAreACopyThatCannotChange() {
        Map<String, Object> properties = new HashMap<>(Map.of("group.id", "g"));
        List<String> topics = new ArrayList<>(List.of("t"));
        KafkaSourceSettings settings = new KafkaSourceSettings("s", properties, topics, MessageFormat.FLAT,
                ZoneOffset.UTC, ZeroDatePolicy.NULL, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), -1, 2);
        properties.put("group.id", "other");
        topics.add("u");

        assertThat(settings.consumerProperties()).containsEntry("group.id", "g");
        assertThat(settings.topics()).containsExactly("t");
        assertThatThrownBy(() -> settings.topics().add("v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> settings.consumerProperties().put("a", "b"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void serversAreShownAsOneListWithoutCredentials() {
        assertThat(KafkaSourceSettings.builder("s").topic("t").bootstrapServers("a:9092,b:9092")
                .consumerProperty("sasl.jaas.config", "secret").build().servers()).isEqualTo("a:9092,b:9092");
        assertThat(KafkaSourceSettings.builder("s").topic("t")
                .consumerProperty("bootstrap.servers", List.of("a:9092", "b:9092")).build().servers())
                .isEqualTo("a:9092,b:9092");
        assertThat(KafkaSourceSettings.builder("s").topic("t").build().servers()).isNull();
    }
}
