package dev.canalboot.autoconfigure;

import dev.canalboot.kafka.MessageFormat;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A source's {@code relay.*} group: its defaults and binding under both source prefixes. */
class RelayPropertiesTest {

    private static CanalProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bind(CanalProperties.PREFIX, CanalProperties.class).get();
    }

    @Test
    void defaultsRelayNothingAndWhenEnabledEveryTableByPrimaryKeyAsFlatMessages() {
        RelayProperties relay = new RelayProperties();

        assertThat(relay.isEnabled()).isFalse();
        assertThat(relay.getTopic()).as("the source's name").isNull();
        assertThat(relay.getDynamicTopic()).isEmpty();
        assertThat(relay.getTables()).containsExactly("*.*");
        assertThat(relay.getExcludeTables()).isEmpty();
        assertThat(relay.getPartitions()).isEqualTo(1);
        assertThat(relay.getPartitionHash()).containsExactly(".*\\..*:$pk$");
        assertThat(relay.isDatabaseHash()).isTrue();
        assertThat(relay.getFormat()).isEqualTo(MessageFormat.FLAT);
        assertThat(relay.getTimeZone()).as("this JVM's").isNull();
        assertThat(relay.getSendTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(relay.getSslBundle()).isNull();
        assertThat(relay.getProducer()).isEmpty();
    }

    @Test
    void keysBindUnderANamedSource() {
        RelayProperties relay = bind(Map.ofEntries(
                Map.entry("canal.sources.orders.relay.enabled", "true"),
                Map.entry("canal.sources.orders.relay.topic", "cdc"),
                Map.entry("canal.sources.orders.relay.dynamic-topic", "shop,named:crm\\..*"),
                Map.entry("canal.sources.orders.relay.tables", "shop.*,crm.contacts"),
                Map.entry("canal.sources.orders.relay.exclude-tables", "shop.audit"),
                Map.entry("canal.sources.orders.relay.partitions", "6"),
                Map.entry("canal.sources.orders.relay.partition-hash", "shop\\.orders:id^customer"),
                Map.entry("canal.sources.orders.relay.database-hash", "false"),
                Map.entry("canal.sources.orders.relay.format", "protobuf"),
                Map.entry("canal.sources.orders.relay.time-zone", "Asia/Shanghai"),
                Map.entry("canal.sources.orders.relay.send-timeout", "30s"),
                Map.entry("canal.sources.orders.relay.ssl-bundle", "kafka-tls"),
                Map.entry("canal.sources.orders.relay.producer.linger.ms", "20")))
                .getSources().get("orders").getRelay();

        assertThat(relay.isEnabled()).isTrue();
        assertThat(relay.getTopic()).isEqualTo("cdc");
        assertThat(relay.getDynamicTopic()).containsExactly("shop", "named:crm\\..*");
        assertThat(relay.getTables()).as("replaces the default").containsExactly("shop.*", "crm.contacts");
        assertThat(relay.getExcludeTables()).containsExactly("shop.audit");
        assertThat(relay.getPartitions()).isEqualTo(6);
        assertThat(relay.getPartitionHash()).containsExactly("shop\\.orders:id^customer");
        assertThat(relay.isDatabaseHash()).isFalse();
        assertThat(relay.getFormat()).isEqualTo(MessageFormat.PROTOBUF);
        assertThat(relay.getTimeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(relay.getSendTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(relay.getSslBundle()).isEqualTo("kafka-tls");
        assertThat(relay.getProducer()).containsExactly(Map.entry("linger.ms", "20"));
    }

    @Test
    void keysBindUnderTheSingleSource() {
        RelayProperties relay = bind(Map.of("canal.source.relay.enabled", "true", "canal.source.relay.topic", "t"))
                .getSource().getRelay();

        assertThat(relay.isEnabled()).isTrue();
        assertThat(relay.getTopic()).isEqualTo("t");
        assertThat(relay.getTables()).containsExactly("*.*");
    }
}
