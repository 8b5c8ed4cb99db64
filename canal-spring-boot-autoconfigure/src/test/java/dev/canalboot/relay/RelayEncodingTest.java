package dev.canalboot.relay;

import dev.canalboot.canal.FlatMessage;
import dev.canalboot.kafka.MessageFormat;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;
import dev.canalboot.testsupport.Events;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.ZoneOffset;
import java.util.List;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/** The two forms of a relayed Kafka record: Canal's flat JSON message and Canal's protobuf packet. */
class RelayEncodingTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Events events = new Events("s");
    private final CanalColumnText text = new CanalColumnText(ZoneOffset.UTC);
    private final FlatMessages flat = new FlatMessages(text);

    @Test
    void flatWritesTheFlatMessageAsJson() {
        RelayEncoding encoding = RelayEncoding.of(MessageFormat.FLAT, JSON, text);
        List<RowChange> rows = List.of(events.insert(ORDERS, order(1, "A-1", "1.00", 1)),
                events.insert(ORDERS, order(2, "A-2", "2.00", 2)));
        FlatMessage message = flat.rows(5, rows);

        FlatMessage back = JSON.readValue(encoding.rows(5, message, rows), FlatMessage.class);

        assertThat(back).isEqualTo(message);
        assertThat(back.data()).extracting(row -> row.get("order_no")).containsExactly("A-1", "A-2");
    }

    @Test
    void flatWritesADdlAsItsFlatMessage() {
        RelayEncoding encoding = RelayEncoding.of(MessageFormat.FLAT, JSON, text);
        SchemaChange ddl = events.ddl("shop", "orders", "ALTER TABLE orders ADD note VARCHAR(20)");
        FlatMessage message = flat.ddl(6, ddl);

        FlatMessage back = JSON.readValue(encoding.ddl(6, message, ddl), FlatMessage.class);

        assertThat(back).isEqualTo(message);
        assertThat(back.isDdl()).isTrue();
        assertThat(back.sql()).isEqualTo(ddl.sql());
    }

    @Test
    void protobufWritesOneMessagesPacketOfTheBatchWithTheRowsInOneEntry() throws Exception {
        RelayEncoding encoding = RelayEncoding.of(MessageFormat.PROTOBUF, JSON, text);
        List<RowChange> rows = List.of(events.insert(ORDERS, order(1, "A-1", "1.00", 1)),
                events.insert(ORDERS, order(2, "A-2", "2.00", 2)));

        Packet packet = Packet.parseFrom(encoding.rows(42, flat.rows(42, rows), rows));

        assertThat(packet.getType()).isEqualTo(PacketType.MESSAGES);
        Messages messages = Messages.parseFrom(packet.getBody());
        assertThat(messages.getBatchId()).isEqualTo(42);
        assertThat(messages.getMessagesCount()).isEqualTo(1);
        CanalEntryProtos.Entry entry = CanalEntryProtos.Entry.parseFrom(messages.getMessages(0));
        assertThat(entry.getHeader().getSchemaName()).isEqualTo("shop");
        assertThat(entry.getHeader().getTableName()).isEqualTo("orders");
        CanalEntryProtos.RowChange change = CanalEntryProtos.RowChange.parseFrom(entry.getStoreValue());
        assertThat(change.getEventType()).isEqualTo(CanalEntryProtos.EventType.INSERT);
        assertThat(change.getRowDatasList()).extracting(data -> data.getAfterColumns(1).getValue())
                .containsExactly("A-1", "A-2");
    }

    @Test
    void protobufNamesADdlAsItsFlatMessageDoes() throws Exception {
        RelayEncoding encoding = RelayEncoding.of(MessageFormat.PROTOBUF, JSON, text);
        SchemaChange ddl = events.ddl("shop", "orders", "RENAME TABLE orders TO orders_v2");
        // The flat message may name the table otherwise than the statement's event (a rename names the new table).
        FlatMessage message = new FlatMessage(9, "shop", "orders_v2", null, true, "RENAME", 0, 0, ddl.sql(), null,
                null, null, null, null);

        Packet packet = Packet.parseFrom(encoding.ddl(9, message, ddl));

        Messages messages = Messages.parseFrom(packet.getBody());
        assertThat(messages.getBatchId()).isEqualTo(9);
        CanalEntryProtos.Entry entry = CanalEntryProtos.Entry.parseFrom(messages.getMessages(0));
        assertThat(entry.getHeader().getSchemaName()).isEqualTo("shop");
        assertThat(entry.getHeader().getTableName()).isEqualTo("orders_v2");
        assertThat(entry.getHeader().getEventType()).isEqualTo(CanalEntryProtos.EventType.RENAME);
        CanalEntryProtos.RowChange change = CanalEntryProtos.RowChange.parseFrom(entry.getStoreValue());
        assertThat(change.getIsDdl()).isTrue();
        assertThat(change.getSql()).isEqualTo("RENAME TABLE orders TO orders_v2");
    }

    @Test
    void eachFormatWritesItsOwnForm() {
        List<RowChange> rows = List.of(events.insert(ORDERS, order(3, "A-3", "3.00", 3)));
        FlatMessage message = flat.rows(1, rows);
        byte[] json = RelayEncoding.of(MessageFormat.FLAT, JSON, text).rows(1, message, rows);
        byte[] proto = RelayEncoding.of(MessageFormat.PROTOBUF, JSON, text).rows(1, message, rows);
        assertThat(json[0]).isEqualTo((byte) '{');
        assertThat(proto).isNotEqualTo(json);
        assertThat(proto[0]).isNotEqualTo((byte) '{');
    }
}
