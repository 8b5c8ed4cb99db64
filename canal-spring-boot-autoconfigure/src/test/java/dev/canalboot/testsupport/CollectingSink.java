package dev.canalboot.testsupport;

import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.internal.binlog.decode.RowImages;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.util.ArrayList;
import java.util.List;

/** Test support: records everything a decoder reports. */
public class CollectingSink implements BinlogStreamDecoder.Sink {

    public record Position(String file, long position, String gtid, boolean transactionEnd) {
    }

    public final List<ChangeEvent> changes = new ArrayList<>();
    public final List<Position> positions = new ArrayList<>();
    public final List<Integer> skipped = new ArrayList<>();
    public final List<String> heartbeats = new ArrayList<>();
    /** Types of the raw events fed to the decoder (filled by {@link BinlogFiles#decode}). */
    public final java.util.Set<Integer> eventTypes = new java.util.TreeSet<>();
    /** Paths of the binlog files decoded (filled by {@link BinlogFiles#decode}). */
    public final List<java.nio.file.Path> files = new ArrayList<>();
    /** Whether rows events are taken undecoded ({@link #onRows}), as a source does for its consumer. */
    private final boolean deferring;
    /** Rows events taken undecoded. */
    public int undecodedEvents;

    public CollectingSink() {
        this(false);
    }

    public CollectingSink(boolean deferring) {
        this.deferring = deferring;
    }

    @Override
    public boolean deferRows() {
        return deferring;
    }

    @Override
    public void onRows(RowImages rows) {
        undecodedEvents++;
        BinlogStreamDecoder.Sink.super.onRows(rows);
    }

    @Override
    public void onChange(ChangeEvent change) {
        changes.add(change);
    }

    @Override
    public void onPosition(String file, long nextPosition, String gtid, boolean transactionEnd) {
        positions.add(new Position(file, nextPosition, gtid, transactionEnd));
    }

    @Override
    public void onHeartbeat(String file, long position) {
        heartbeats.add(file + ":" + position);
    }

    @Override
    public void onSkipped(int eventType) {
        skipped.add(eventType);
    }

    /** Row changes of one schema. */
    public List<RowChange> rows(String schema) {
        return changes.stream().filter(c -> c instanceof RowChange r && r.schema().equals(schema))
                .map(RowChange.class::cast).toList();
    }
}
