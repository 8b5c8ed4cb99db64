package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.RowImages;
import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.model.ChangeEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch as the connection's thread assembled it: change events in binlog order, among them the undecoded
 * {@link RowImages} of rows events it left for the consumer to decode.
 */
final class ReadBatch {

    /** {@link ChangeEvent}s and {@link RowImages}, in order. */
    private final List<Object> items;
    private final int events;
    private final boolean undecoded;

    /**
     * @param events    the change events {@code items} stand for, every row of a {@link RowImages} counted
     * @param undecoded whether any item is a {@link RowImages}
     */
    ReadBatch(List<Object> items, int events, boolean undecoded) {
        this.items = items;
        this.events = events;
        this.undecoded = undecoded;
    }

    int events() {
        return events;
    }

    Instant lastTimestamp() {
        Object last = items.get(items.size() - 1);
        return last instanceof RowImages rows ? rows.timestamp() : ((ChangeEvent) last).timestamp();
    }

    /**
     * The change events, row images decoded on the calling thread.
     *
     * @throws BinlogDecodeException naming the event whose images do not decode
     */
    @SuppressWarnings("unchecked")
    List<ChangeEvent> decode() {
        if (!undecoded) {
            return (List<ChangeEvent>) (List<?>) items;
        }
        List<ChangeEvent> decoded = new ArrayList<>(events);
        for (Object item : items) {
            if (item instanceof RowImages rows) {
                rows.decodeDetached(decoded::add);
            } else {
                decoded.add((ChangeEvent) item);
            }
        }
        return decoded;
    }
}
