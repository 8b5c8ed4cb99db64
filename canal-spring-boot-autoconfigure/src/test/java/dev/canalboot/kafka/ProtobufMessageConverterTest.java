package dev.canalboot.kafka;

import com.google.protobuf.ByteString;
import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EntryType;
import dev.canalboot.proto.CanalEntryProtos.EventType;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtobufMessageConverterTest {

    private final ProtobufMessageConverter converter = new ProtobufMessageConverter("src",
            new CanalValueConverter(java.time.ZoneOffset.UTC, ZeroDatePolicy.NULL));

    private static CanalEntryProtos.Header.Builder header(long offset) {
        return CanalEntryProtos.Header.newBuilder().setLogfileName("binlog.000003").setLogfileOffset(offset)
                .setSchemaName("shop").setTableName("orders").setExecuteTime(1_700_000_000_123L);
    }

    private static Entry insert(long offset, int id) {
        CanalEntryProtos.RowData row = CanalEntryProtos.RowData.newBuilder().addAfterColumns(
                CanalEntryProtos.Column.newBuilder().setName("id").setMysqlType("int(11)").setIsKey(true)
                        .setValue(String.valueOf(id))).build();
        return Entry.newBuilder().setEntryType(EntryType.ROWDATA).setHeader(header(offset).setEventType(EventType.INSERT))
                .setStoreValue(CanalEntryProtos.RowChange.newBuilder().setEventType(EventType.INSERT).addRowDatas(row)
                        .build().toByteString()).build();
    }

    private static Entry boundary(EntryType type, long offset) {
        ByteString value = type == EntryType.TRANSACTIONEND
                ? CanalEntryProtos.TransactionEnd.newBuilder().setTransactionId("42").build().toByteString()
                : ByteString.EMPTY;
        return Entry.newBuilder().setEntryType(type).setHeader(header(offset)).setStoreValue(value).build();
    }

    private static byte[] packet(Entry... entries) {
        Messages.Builder messages = Messages.newBuilder().setBatchId(7);
        for (Entry entry : entries) {
            messages.addMessages(entry.toByteString());
        }
        return Packet.newBuilder().setType(PacketType.MESSAGES).setBody(messages.build().toByteString()).build()
                .toByteArray();
    }

    private List<ChangeEvent> convert(byte[] packet) {
        List<ChangeEvent> events = new ArrayList<>();
        converter.convert(ByteBuffer.wrap(packet), events);
        return events;
    }

    @Test
    void rowsOfAStreamWithoutBoundariesComeWithoutInventedOnes() {
        List<ChangeEvent> events = convert(packet(insert(100, 1), insert(200, 2)));

        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(RowChange.class));
        RowChange first = (RowChange) events.get(0);
        assertThat(first.type()).isEqualTo(ChangeType.INSERT);
        assertThat(first.after().get("id")).isEqualTo(1);
        assertThat(first.position().file()).isEqualTo("binlog.000003");
        assertThat(first.position().offset()).isEqualTo(100);
        assertThat(convert(packet(insert(300, 3)))).hasSize(1); // the next record neither
    }

    @Test
    void boundariesAreKeptOnceThePartitionCarriesThem() {
        List<ChangeEvent> events = convert(packet(boundary(EntryType.TRANSACTIONBEGIN, 10), insert(20, 1),
                boundary(EntryType.TRANSACTIONEND, 30)));

        assertThat(events).hasSize(3);
        assertThat(((TransactionBoundary) events.get(0)).kind()).isEqualTo(TransactionBoundary.Kind.BEGIN);
        assertThat(((TransactionBoundary) events.get(2)).kind()).isEqualTo(TransactionBoundary.Kind.COMMIT);
        // after a COMMIT, rows without a BEGIN of their own get one, as from the Canal source
        List<ChangeEvent> next = convert(packet(insert(40, 2)));
        assertThat(next).hasSize(2);
        assertThat(((TransactionBoundary) next.get(0)).kind()).isEqualTo(TransactionBoundary.Kind.BEGIN);
    }

    @Test
    void entriesWithoutChangesAreCounted() {
        Entry heartbeat = Entry.newBuilder().setEntryType(EntryType.HEARTBEAT).setHeader(header(5)).build();
        List<ChangeEvent> events = new ArrayList<>();

        int empty = converter.convert(ByteBuffer.wrap(packet(heartbeat, insert(6, 1), heartbeat)), events);

        assertThat(empty).isEqualTo(2);
        assertThat(events).hasSize(1);
    }

    @Test
    void otherBytesAreErrorsSayingWhatTheyAre() {
        byte[] ack = Packet.newBuilder().setType(PacketType.CLIENTACK).setBody(ByteString.EMPTY).build().toByteArray();
        assertThatThrownBy(() -> convert(ack)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CLIENTACK, not MESSAGES");
        assertThatThrownBy(() -> convert("{\"data\":[]}".getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a serialized Canal message");
        byte[] corrupt = Packet.newBuilder().setType(PacketType.MESSAGES).setBody(Messages.newBuilder()
                .addMessages(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff})).build().toByteString())
                .build().toByteArray();
        assertThatThrownBy(() -> convert(corrupt)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt entry of 2 bytes");
    }
}
