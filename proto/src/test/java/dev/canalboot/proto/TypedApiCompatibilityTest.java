package dev.canalboot.proto;

import com.alibaba.otter.canal.protocol.CanalEntry;
import com.alibaba.otter.canal.protocol.CanalPacket;
import dev.canalboot.proto.CanalEntryProtos.Column;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EntryType;
import dev.canalboot.proto.CanalEntryProtos.EventType;
import dev.canalboot.proto.CanalEntryProtos.Header;
import dev.canalboot.proto.CanalEntryProtos.RowChange;
import dev.canalboot.proto.CanalEntryProtos.RowData;
import dev.canalboot.proto.CanalPacketProtos.Compression;
import dev.canalboot.proto.CanalPacketProtos.Get;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nesting a client really sees (Packet body holding Messages holding Entry bytes holding a RowChange),
 * through the typed getters of both sides rather than reflection.
 */
class TypedApiCompatibilityTest {

    @Test
    void rowChangeNestedInMessagesPacketWrittenByUsIsReadByCanal() throws Exception {
        RowChange rowChange = RowChange.newBuilder()
                .setTableId(42)
                .setEventType(EventType.UPDATE)
                .addRowDatas(RowData.newBuilder()
                        .addBeforeColumns(column(0, "id", "7", true, false))
                        .addBeforeColumns(Column.newBuilder().setIndex(1).setName("note").setIsNull(true))
                        .addAfterColumns(column(0, "id", "7", true, false))
                        .addAfterColumns(column(1, "note", "zoë", false, true)))
                .build();
        Entry entry = Entry.newBuilder()
                .setHeader(Header.newBuilder()
                        .setLogfileName("binlog.000003")
                        .setLogfileOffset(4_294_967_396L)
                        .setSchemaName("shop")
                        .setTableName("orders")
                        .setEventType(EventType.UPDATE)
                        .setExecuteTime(1_700_000_000_123L))
                .setEntryType(EntryType.ROWDATA)
                .setStoreValue(rowChange.toByteString())
                .build();
        Packet packet = Packet.newBuilder()
                .setMagicNumber(0)
                .setVersion(1)
                .setType(PacketType.MESSAGES)
                .setCompression(Compression.NONE)
                .setBody(Messages.newBuilder().setBatchId(9).addMessages(entry.toByteString()).build().toByteString())
                .build();

        CanalPacket.Packet canalPacket = CanalPacket.Packet.parseFrom(packet.toByteArray());
        assertThat(canalPacket.getMagicNumberPresentCase())
                .isEqualTo(CanalPacket.Packet.MagicNumberPresentCase.MAGIC_NUMBER);
        assertThat(canalPacket.getMagicNumber()).isZero();
        assertThat(canalPacket.getVersion()).isEqualTo(1);
        assertThat(canalPacket.getType()).isEqualTo(CanalPacket.PacketType.MESSAGES);
        assertThat(canalPacket.getCompression()).isEqualTo(CanalPacket.Compression.NONE);

        CanalPacket.Messages canalMessages = CanalPacket.Messages.parseFrom(canalPacket.getBody());
        assertThat(canalMessages.getBatchId()).isEqualTo(9);
        assertThat(canalMessages.getMessagesCount()).isEqualTo(1);

        CanalEntry.Entry canalEntry = CanalEntry.Entry.parseFrom(canalMessages.getMessages(0));
        assertThat(canalEntry.getEntryType()).isEqualTo(CanalEntry.EntryType.ROWDATA);
        assertThat(canalEntry.getHeader().getLogfileName()).isEqualTo("binlog.000003");
        assertThat(canalEntry.getHeader().getLogfileOffset()).isEqualTo(4_294_967_396L);
        assertThat(canalEntry.getHeader().getSchemaName()).isEqualTo("shop");
        assertThat(canalEntry.getHeader().getTableName()).isEqualTo("orders");
        assertThat(canalEntry.getHeader().getExecuteTime()).isEqualTo(1_700_000_000_123L);

        CanalEntry.RowChange canalRowChange = CanalEntry.RowChange.parseFrom(canalEntry.getStoreValue());
        assertThat(canalRowChange.getTableId()).isEqualTo(42);
        assertThat(canalRowChange.getEventType()).isEqualTo(CanalEntry.EventType.UPDATE);
        CanalEntry.RowData canalRow = canalRowChange.getRowDatas(0);
        assertThat(canalRow.getBeforeColumns(1).getName()).isEqualTo("note");
        assertThat(canalRow.getBeforeColumns(1).hasIsNull()).isTrue();
        assertThat(canalRow.getBeforeColumns(1).getIsNull()).isTrue();
        assertThat(canalRow.getBeforeColumns(1).hasValue()).isFalse();
        assertThat(canalRow.getAfterColumns(0).getIsKey()).isTrue();
        assertThat(canalRow.getAfterColumns(1).getValue()).isEqualTo("zoë");
        assertThat(canalRow.getAfterColumns(1).getUpdated()).isTrue();
        assertThat(canalRow.getAfterColumns(1).getMysqlType()).isEqualTo("varchar(64)");
    }

    @Test
    void getRequestWrittenByCanalIsReadByUsWithZeroValuesStillPresent() throws Exception {
        CanalPacket.Get canalGet = CanalPacket.Get.newBuilder()
                .setDestination("example")
                .setClientId("1001")
                .setFetchSize(500)
                .setTimeout(0)
                .setUnit(2)
                .setAutoAck(false)
                .build();
        CanalPacket.Packet canalPacket = CanalPacket.Packet.newBuilder()
                .setType(CanalPacket.PacketType.GET)
                .setBody(canalGet.toByteString())
                .build();

        Packet packet = Packet.parseFrom(canalPacket.toByteArray());
        assertThat(packet.getType()).isEqualTo(PacketType.GET);
        assertThat(packet.hasMagicNumber()).isFalse();
        assertThat(packet.hasCompression()).isFalse();

        Get get = Get.parseFrom(packet.getBody());
        assertThat(get.getDestination()).isEqualTo("example");
        assertThat(get.getClientId()).isEqualTo("1001");
        assertThat(get.getFetchSize()).isEqualTo(500);
        assertThat(get.hasTimeout()).isTrue();
        assertThat(get.getTimeout()).isZero();
        assertThat(get.getUnit()).isEqualTo(2);
        assertThat(get.hasAutoAck()).isTrue();
        assertThat(get.getAutoAck()).isFalse();
    }

    @Test
    void entryDefaultsMatchCanalWhenFieldsAreAbsent() throws Exception {
        byte[] empty = new byte[0];

        Entry ours = Entry.parseFrom(empty);
        CanalEntry.Entry theirs = CanalEntry.Entry.parseFrom(empty);

        assertThat(ours.hasEntryType()).isEqualTo(theirs.hasEntryType()).isFalse();
        assertThat(ours.getEntryType().name()).isEqualTo(theirs.getEntryType().name()).isEqualTo("ROWDATA");
        assertThat(ours.getHeader().getVersion()).isEqualTo(theirs.getHeader().getVersion()).isEqualTo(1);
        assertThat(ours.getHeader().getSourceType().name()).isEqualTo(theirs.getHeader().getSourceType().name())
                .isEqualTo("MYSQL");
    }

    private static Column.Builder column(int index, String name, String value, boolean key, boolean updated) {
        return Column.newBuilder()
                .setIndex(index)
                .setName(name)
                .setValue(value)
                .setIsKey(key)
                .setUpdated(updated)
                .setSqlType(12)
                .setMysqlType("varchar(64)");
    }
}
