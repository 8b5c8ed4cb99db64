package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.BinlogDecoderOptions;
import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.testsupport.AllTypesWorkload;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.testsupport.BinlogFiles;
import dev.canalboot.testsupport.TestServers;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Mutated real events (bit flips, truncations, corrupted length fields) must fail only with
 * {@link BinlogDecodeException}: no other exception type, no OutOfMemoryError, no hang.
 */
class BinlogDecoderFuzzIT {

    private static final int ITERATIONS_PER_SERVER = 4000;

    /** The hang guard: a generous bound far above the few seconds the test takes. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedMySqlEventsFailOnlyWithDecodeExceptions() throws Exception {
        List<byte[]> events = capture(TestServers.mysql(), "fuzz_mysql", List.of(
                "SET SESSION binlog_row_value_options = 'PARTIAL_JSON'",
                "UPDATE `fuzz_mysql`.`t` SET c_json = JSON_SET(c_json, '$.a', 7) WHERE id = 3",
                "SET SESSION binlog_transaction_compression = ON",
                "UPDATE `fuzz_mysql`.`t` SET c_vc = 'compressed' WHERE id = 4"));
        fuzz(events, new Random(20261121L));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedMariaDbEventsFailOnlyWithDecodeExceptions() throws Exception {
        EmbeddedDatabase mariadb = TestServers.mariadb();
        List<byte[]> events;
        try {
            mariadb.execute("SET GLOBAL log_bin_compress = ON", "SET GLOBAL log_bin_compress_min_len = 10");
            events = capture(mariadb, "fuzz_mariadb", List.of());
        } finally {
            mariadb.execute("SET GLOBAL log_bin_compress = OFF");
        }
        fuzz(events, new Random(11042026L));
    }

    private static List<byte[]> capture(EmbeddedDatabase server, String schema, List<String> more) throws Exception {
        server.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
        AllTypesWorkload workload = new AllTypesWorkload(schema, "t", false);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(),
                server.rootPassword()); Statement st = c.createStatement()) {
            st.execute("FLUSH BINARY LOGS");
            List<String> files = BinlogFiles.binaryLogs(c);
            String file = files.get(files.size() - 1);
            st.execute(workload.createTable());
            workload.run(c);
            for (String sql : more) {
                st.execute(sql);
            }
            st.execute("FLUSH BINARY LOGS");
            List<byte[]> events = BinlogFiles.events(server.dataDirectory().resolve(file));
            // the unmutated stream decodes cleanly
            BinlogStreamDecoder decoder = new BinlogStreamDecoder("fuzz", null, BinlogDecoderOptions.defaults());
            decoder.startFile(file, 4);
            for (byte[] event : events) {
                decoder.decode(Unpooled.wrappedBuffer(event), NO_OP);
            }
            assertThat(events.size()).isGreaterThan(10);
            return events;
        }
    }

    private static void fuzz(List<byte[]> events, Random random) {
        int decodeErrors = 0;
        for (int iteration = 0; iteration < ITERATIONS_PER_SERVER; iteration++) {
            int target = 1 + random.nextInt(events.size() - 1);
            boolean verify = random.nextInt(4) == 0;
            BinlogStreamDecoder decoder = new BinlogStreamDecoder("fuzz", null,
                    BinlogDecoderOptions.defaults().withVerifyChecksums(verify));
            decoder.startFile("binlog.000001", 4);
            byte[] mutated = mutate(events.get(target), random);
            try {
                // the context the event needs (format description, table maps), then the mutated event
                for (int i = 0; i < target; i++) {
                    decoder.decode(Unpooled.wrappedBuffer(events.get(i)), NO_OP);
                }
                decoder.decode(Unpooled.wrappedBuffer(mutated), NO_OP);
                // and the rest of the stream after it: state left by a corrupt event must not break out either
                for (int i = target + 1; i < Math.min(events.size(), target + 4); i++) {
                    decoder.decode(Unpooled.wrappedBuffer(events.get(i)), NO_OP);
                }
            } catch (BinlogDecodeException expected) {
                decodeErrors++;
                assertThat(expected.getMessage()).contains("binlog.");
            } catch (Throwable other) {
                fail("event " + target + " mutated to " + toHex(mutated) + " threw " + other, other);
            }
        }
        assertThat(decodeErrors).as("mutations that were detected").isPositive();
    }

    private static byte[] mutate(byte[] event, Random random) {
        byte[] b = event.clone();
        switch (random.nextInt(4)) {
            case 0 -> { // bit flips anywhere after the size field
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(b.length);
                    if (at < 9 || at > 12) {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
            }
            case 1 -> { // truncation, with the header size adjusted so the body decoders see it
                b = Arrays.copyOf(b, 19 + random.nextInt(Math.max(1, b.length - 19)));
                setSize(b, random.nextBoolean() ? b.length : event.length);
            }
            case 2 -> { // a length field turned huge, zero or random
                int at = 19 + random.nextInt(Math.max(1, b.length - 19));
                int width = 1 + random.nextInt(4);
                byte value = switch (random.nextInt(3)) {
                    case 0 -> (byte) 0xff;
                    case 1 -> 0;
                    default -> (byte) random.nextInt(256);
                };
                for (int i = at; i < Math.min(b.length, at + width); i++) {
                    b[i] = value;
                }
            }
            default -> { // bytes spliced out of the middle
                if (b.length > 24) {
                    int at = 19 + random.nextInt(b.length - 20);
                    int cut = 1 + random.nextInt(Math.min(16, b.length - at));
                    byte[] shorter = new byte[b.length - cut];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + cut, shorter, at, b.length - at - cut);
                    b = shorter;
                    setSize(b, b.length);
                }
            }
        }
        return b;
    }

    private static void setSize(byte[] event, int size) {
        ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN).putInt(9, size);
    }

    private static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 256); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.append(b.length > 256 ? "..." : "").toString();
    }

    private static final BinlogStreamDecoder.Sink NO_OP = new BinlogStreamDecoder.Sink() {
        @Override
        public void onChange(ChangeEvent change) {
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
    };
}
