package dev.canalboot.bench.jmh;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.canalboot.bench.NoShapeLookups;
import dev.canalboot.internal.binlog.decode.BinlogDecoderOptions;
import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real rows event (captured by the harness from the workload binlog) decoded into typed values, every value
 * read: by our decoder ({@link BinlogStreamDecoder}, checksums verified as the source runs it) and by the binlog
 * connector's deserializer in default and fast modes (it skips checksums). One op = one event; the harness
 * divides by the event's row count.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecoderBenchmark {

    /** System property naming the directory of captured {@code <events>.events} files. */
    public static final String EVENTS_DIR = "bench.events.dir";

    @Param({"mysql-narrow"})
    public String events;

    private ByteBuf rowsEvent;
    private BinlogStreamDecoder decoder;
    private byte[] rowsBytes;
    private EventDeserializer connectorDefault;
    private EventDeserializer connectorFast;

    @Setup
    public void setUp() throws IOException {
        CapturedEvents captured = load(events);
        decoder = ourDecoder(captured);
        rowsEvent = Unpooled.wrappedBuffer(captured.rows());
        rowsBytes = captured.rows();
        connectorDefault = connectorDeserializer(captured, false);
        connectorFast = connectorDeserializer(captured, true);
    }

    static CapturedEvents load(String name) throws IOException {
        String dir = System.getProperty(EVENTS_DIR);
        if (dir == null) {
            throw new IllegalStateException("System property " + EVENTS_DIR + " must name the captured events directory");
        }
        return CapturedEvents.read(Path.of(dir, name + ".events"));
    }

    /** A decoder that has seen the format description and the table map. */
    static BinlogStreamDecoder ourDecoder(CapturedEvents captured) {
        BinlogStreamDecoder decoder = new BinlogStreamDecoder("jmh", NoShapeLookups.INSTANCE,
                BinlogDecoderOptions.defaults().withChecksumOn(captured.checksums()));
        BinlogStreamDecoder.Sink ignore = new RowSink(null);
        decoder.decode(Unpooled.wrappedBuffer(captured.formatDescription()), ignore);
        decoder.decode(Unpooled.wrappedBuffer(captured.tableMap()), ignore);
        return decoder;
    }

    static EventDeserializer connectorDeserializer(CapturedEvents captured, boolean fast) throws IOException {
        EventDeserializer deserializer = new EventDeserializer();
        if (fast) {
            deserializer.setCompatibilityMode(CompatibilityMode.DATE_AND_TIME_AS_LONG,
                    CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        }
        deserializer.setChecksumType(captured.checksums() ? ChecksumType.CRC32 : ChecksumType.NONE);
        deserializer.nextEvent(new ByteArrayInputStream(captured.formatDescription()));
        deserializer.nextEvent(new ByteArrayInputStream(captured.tableMap()));
        return deserializer;
    }

    @Benchmark
    public void ours(Blackhole blackhole) {
        rowsEvent.readerIndex(0);
        decoder.decode(rowsEvent, new RowSink(blackhole));
    }

    @Benchmark
    public void connectorDefault(Blackhole blackhole) throws IOException {
        touch(connectorDefault.nextEvent(new ByteArrayInputStream(rowsBytes)), blackhole);
    }

    @Benchmark
    public void connectorFast(Blackhole blackhole) throws IOException {
        touch(connectorFast.nextEvent(new ByteArrayInputStream(rowsBytes)), blackhole);
    }

    /** Rows in the captured rows event, as our decoder counts them. */
    public static int rowsPerEvent(CapturedEvents captured) {
        BinlogStreamDecoder decoder = ourDecoder(captured);
        RowSink counter = new RowSink(null);
        decoder.decode(Unpooled.wrappedBuffer(captured.rows()), counter);
        return counter.rows;
    }

    static void touch(Event event, Blackhole blackhole) {
        EventData data = event.getData();
        if (data instanceof WriteRowsEventData write) {
            touchAll(write.getRows(), blackhole);
        } else if (data instanceof DeleteRowsEventData delete) {
            touchAll(delete.getRows(), blackhole);
        } else if (data instanceof UpdateRowsEventData update) {
            for (Map.Entry<Serializable[], Serializable[]> row : update.getRows()) {
                touch(row.getKey(), blackhole);
                touch(row.getValue(), blackhole);
            }
        } else {
            throw new IllegalStateException("Expected a rows event, got " + event.getHeader());
        }
    }

    private static void touchAll(List<Serializable[]> rows, Blackhole blackhole) {
        for (Serializable[] row : rows) {
            touch(row, blackhole);
        }
    }

    private static void touch(Serializable[] row, Blackhole blackhole) {
        for (Serializable value : row) {
            blackhole.consume(value);
        }
    }

    /** Reads every value of every row image; counts rows. */
    static final class RowSink implements BinlogStreamDecoder.Sink {

        private final Blackhole blackhole;
        int rows;

        RowSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onChange(ChangeEvent change) {
            if (change instanceof RowChange row) {
                rows++;
                if (blackhole != null) {
                    touch(row.before());
                    touch(row.after());
                }
            }
        }

        private void touch(Row row) {
            if (row != null) {
                for (int i = 0; i < row.size(); i++) {
                    blackhole.consume(row.get(i));
                }
            }
        }

        @Override
        public void onPosition(String file, long nextPosition, String gtid, boolean transactionEnd) {
        }

        @Override
        public void onHeartbeat(String file, long position) {
        }

        @Override
        public void onSkipped(int eventType) {
        }
    }

}
