package dev.canalboot.kafka;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.canalboot.canal.CanalEntryConverter;
import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EntryType;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Canal MQ protobuf messages ({@code canal.mq.flatMessage=false}) → model events. Each Kafka record holds one
 * serialized {@code Packet} of type {@code MESSAGES} whose body is a {@code Messages} of serialized entries, as
 * from a Canal server; the entries are converted by the Canal source's {@link CanalEntryConverter}.
 * <p>
 * Transaction boundaries: Canal drops the begin/end entries when it partitions by hash, or with
 * {@code canal.mq.filterTransactionEntry=true}. Until a partition has shown one, rows pass without boundaries
 * (none are invented); once it carries them, BEGIN/COMMIT reach the listeners as from the Canal source.
 * <p>
 * Not thread-safe: one per partition (the transaction state is the partition's), used by one decoding run at a time.
 */
final class ProtobufMessageConverter {

    private final CanalEntryConverter entries;
    private boolean carriesBoundaries;

    ProtobufMessageConverter(String source, CanalValueConverter values) {
        this.entries = new CanalEntryConverter(source, values);
    }

    /**
     * Appends the events of the serialized packet to {@code out}.
     *
     * @return the number of entries that held no change (heartbeats, GTID markers, statements without rows)
     * @throws IllegalArgumentException when the bytes are not a Canal MESSAGES packet, or an entry cannot be decoded
     */
    int convert(ByteBuffer serialized, List<ChangeEvent> out) {
        Messages messages;
        try {
            Packet packet = Packet.parseFrom(serialized.duplicate());
            if (packet.getType() != PacketType.MESSAGES) {
                throw new IllegalArgumentException("a Canal packet of type " + packet.getType() + ", not MESSAGES");
            }
            messages = Messages.parseFrom(packet.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a serialized Canal message (" + e.getMessage() + ")", e);
        }
        int empty = 0;
        for (ByteString serializedEntry : messages.getMessagesList()) {
            Entry entry;
            try {
                entry = Entry.parseFrom(serializedEntry);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("corrupt entry of " + serializedEntry.size() + " bytes in batch "
                        + messages.getBatchId() + ": " + e.getMessage(), e);
            }
            EntryType type = entry.getEntryType();
            if (type == EntryType.TRANSACTIONBEGIN || type == EntryType.TRANSACTIONEND) {
                carriesBoundaries = true;
            } else if (!carriesBoundaries) {
                entries.inTransaction(true); // no BEGIN of its own making for a stream without boundaries
            }
            int before = out.size();
            entries.convert(entry, out);
            if (out.size() == before) {
                empty++;
            }
        }
        return empty;
    }

    /** Forgets the transaction state, e.g. when the partition is read again from an earlier offset. */
    void reset() {
        entries.inTransaction(false);
    }
}
