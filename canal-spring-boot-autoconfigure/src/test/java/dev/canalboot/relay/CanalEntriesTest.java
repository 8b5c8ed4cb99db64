package dev.canalboot.relay;

import dev.canalboot.canal.CanalEntryConverter;
import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.testsupport.Events;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's protobuf form, read back by the Canal source's entry converter; snapshot rows as Canal inserts. */
class CanalEntriesTest {

    private final Events events = new Events("s");
    private final CanalEntries entries = new CanalEntries(new CanalColumnText(ZoneOffset.UTC));

    @Test
    void anUpdateComesBackWithBothImagesAndItsChangedColumnsMarked() throws Exception {
        RowChange update = events.update(Events.ORDERS, Events.order(1, "A-1", "1.00", 1), Events.order(1, "A-1", "2.50", 1));
        byte[] packet = CanalEntries.packet(7, List.of(entries.rows(List.of(update))));

        Packet parsed = Packet.parseFrom(packet);
        assertThat(parsed.getType()).isEqualTo(PacketType.MESSAGES);
        Messages messages = Messages.parseFrom(parsed.getBody());
        assertThat(messages.getBatchId()).isEqualTo(7);
        CanalEntryProtos.Entry entry = CanalEntryProtos.Entry.parseFrom(messages.getMessages(0));
        CanalEntryProtos.RowChange change = CanalEntryProtos.RowChange.parseFrom(entry.getStoreValue());
        assertThat(change.getEventType()).isEqualTo(CanalEntryProtos.EventType.UPDATE);
        assertThat(change.getRowDatas(0).getAfterColumnsList()).filteredOn(CanalEntryProtos.Column::getUpdated)
                .extracting(CanalEntryProtos.Column::getName).containsExactlyElementsOf(update.changedColumns());

        List<ChangeEvent> back = new ArrayList<>();
        CanalEntryConverter converter = new CanalEntryConverter("s", new CanalValueConverter(ZoneOffset.UTC,
                ZeroDatePolicy.NULL));
        converter.inTransaction(true);
        converter.convert(entry, back);
        RowChange read = (RowChange) back.get(0);
        assertThat(read.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(read.before().toMap()).isEqualTo(update.before().toMap());
        assertThat(read.after().toMap()).isEqualTo(update.after().toMap());
        assertThat(read.primaryKey()).isEqualTo(update.primaryKey());
    }

    @Test
    void snapshotRowsAreWrittenAsInsertsInBothForms() throws Exception {
        RowChange snapshot = events.snapshot(Events.ORDERS, Events.order(3, "A-3", "3.00", 3));
        CanalEntryProtos.Entry entry = entries.rows(List.of(snapshot));
        assertThat(CanalEntryProtos.RowChange.parseFrom(entry.getStoreValue()).getEventType())
                .isEqualTo(CanalEntryProtos.EventType.INSERT);
        assertThat(new FlatMessages(new CanalColumnText(ZoneOffset.UTC)).rows(1, List.of(snapshot)).type())
                .isEqualTo("INSERT");
    }
}
