package dev.canalboot.testsupport;

import dev.canalboot.internal.binlog.decode.BinlogDecoderOptions;
import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.binlog.RowDecoding;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test support: reads binlog files from a server's datadir (4-byte magic, then events) without a network. */
public final class BinlogFiles {

    private static final byte[] MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};

    private BinlogFiles() {
    }

    /** The events of one binlog file, each exactly as it is stored (header, body, checksum). */
    public static List<byte[]> events(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 4 || !Arrays.equals(Arrays.copyOf(bytes, 4), MAGIC)) {
                throw new IllegalStateException(file + " is not a binlog file");
            }
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            List<byte[]> events = new ArrayList<>();
            int at = 4;
            while (at + 19 <= bytes.length) {
                int size = in.getInt(at + 9);
                if (size < 19 || at + size > bytes.length) {
                    break; // the server is still writing this event
                }
                events.add(Arrays.copyOfRange(bytes, at, at + size));
                at += size;
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQL a test runs while its binlog is being recorded. */
    public interface SqlWork {
        void run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} on {@code server} as root between two {@code FLUSH BINARY LOGS}, then decodes every binlog
     * file written meanwhile with one decoder named {@code sourceName}.
     */
    public static CollectingSink decodeAround(EmbeddedDatabase server, String sourceName, TableShapeResolver shapes,
                                       SqlWork work) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword())) {
            try (Statement st = c.createStatement()) {
                st.execute("FLUSH BINARY LOGS");
            }
            List<String> before = binaryLogs(c);
            work.run(c);
            try (Statement st = c.createStatement()) {
                st.execute("FLUSH BINARY LOGS");
            }
            List<String> after = binaryLogs(c);
            List<String> files = new ArrayList<>(after.subList(before.size() - 1, after.size() - 1));
            CollectingSink sink = new CollectingSink();
            decode(new BinlogStreamDecoder(sourceName, shapes, BinlogDecoderOptions.defaults()),
                    server.dataDirectory(), files, sink);
            // The same files with every rows event left undecoded and decoded later, as a source's consumer
            // does (RowDecoding): the same changes and positions.
            CollectingSink deferred = new CollectingSink(true);
            decode(new BinlogStreamDecoder(sourceName, shapes, BinlogDecoderOptions.defaults()),
                    server.dataDirectory(), files, deferred);
            org.assertj.core.api.Assertions.assertThat(comparable(deferred.changes)).as("changes decoded after deferring")
                    .isEqualTo(comparable(sink.changes));
            org.assertj.core.api.Assertions.assertThat(deferred.positions).isEqualTo(sink.positions);
            if (sink.changes.stream().anyMatch(change -> change instanceof dev.canalboot.model.RowChange)) {
                org.assertj.core.api.Assertions.assertThat(deferred.undecodedEvents).as("rows events deferred")
                        .isPositive();
            }
            return sink;
        }
    }

    /** Decodes every event of the given files in order with one decoder, as one stream. */
    /** The changes with each row change's table schema (an identity per decoder) left out. */
    private static List<Object> comparable(List<dev.canalboot.model.ChangeEvent> changes) {
        return changes.stream().map(change -> change instanceof dev.canalboot.model.RowChange r
                ? java.util.Arrays.asList(r.source(), r.qualifiedTable(), r.type(), r.before(), r.after(), r.position(),
                r.timestamp())
                : (Object) change).toList();
    }

    public static void decode(BinlogStreamDecoder decoder, Path dataDirectory, List<String> files,
                       BinlogStreamDecoder.Sink sink) {
        for (String name : files) {
            decoder.startFile(name, 4);
            if (sink instanceof CollectingSink collecting) {
                collecting.files.add(dataDirectory.resolve(name));
            }
            for (byte[] event : events(dataDirectory.resolve(name))) {
                if (sink instanceof CollectingSink collecting) {
                    collecting.eventTypes.add(event[4] & 0xff);
                }
                ByteBuf buf = Unpooled.wrappedBuffer(event);
                decoder.decode(buf, sink);
            }
        }
    }

    /** The binlog file names of the server, oldest first; the last one is still being written. */
    public static List<String> binaryLogs(Connection connection) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }
}
