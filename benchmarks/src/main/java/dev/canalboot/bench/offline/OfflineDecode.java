package dev.canalboot.bench.offline;

import dev.canalboot.bench.BenchOptions;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.NoShapeLookups;
import dev.canalboot.bench.RawBinlogDump;
import dev.canalboot.bench.Servers;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;
import dev.canalboot.internal.binlog.decode.BinlogDecoderOptions;
import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.internal.binlog.decode.RowImages;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The decoder's CPU time and allocation per row, measured on one thread over a recorded workload binlog: figures
 * that a machine loaded by other jobs moves far less than rows/s (thread CPU time counts only this thread's
 * work; allocated bytes do not depend on the load at all).
 * <ul>
 *   <li>{@code capture DIR [scale] [mysql|mariadb]}: starts the embedded server, writes each workload and records its
 *       binlog's events, as the server sends them, to {@code DIR/<server>-<workload>.binlog}.</li>
 *   <li>{@code decode FILE PASSES MODE}: decodes the recorded events {@code PASSES} times in this JVM, every
 *       value of every row image read, and prints per pass: thread CPU ns per row, allocated bytes per row.
 *       {@code MODE} {@code eager}: rows decoded as the events are read (what the connection's thread does
 *       with {@code RowDecoding.CONNECTION_THREAD}); {@code deferred}: each rows event detached (copied and
 *       stepped over) and then decoded, both on this thread (the sum of the two threads' decoding work with
 *       {@code ADAPTIVE} while the consumer waits, less the hand-off itself).</li>
 * </ul>
 * The first pass of a fresh JVM is the cold figure.
 */
public final class OfflineDecode {

    private OfflineDecode() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "capture" -> capture(Path.of(args[1]), args.length > 2 ? Double.parseDouble(args[2]) : 0.1,
                    args.length > 3 ? args[3] : "mysql");
            case "decode" -> decode(Path.of(args[1]), Integer.parseInt(args[2]), args[3]);
            case "serve" -> serve(Workload.valueOf(args[1].toUpperCase(Locale.ROOT)), Double.parseDouble(args[2]),
                    args.length > 3 ? args[3] : "mysql");
            default -> throw new IllegalArgumentException("expected capture or decode, got " + args[0]);
        }
    }

    private static void capture(Path dir, double scale, String flavorName) throws Exception {
        BenchServer.Flavor flavor = BenchServer.Flavor.valueOf(flavorName.toUpperCase(Locale.ROOT));
        BenchOptions options = BenchOptions.parse(new String[]{"--scale=" + scale});
        Files.createDirectories(dir);
        try (BenchServer server = Servers.start(flavor, options)) {
            for (Workload workload : Workload.values()) {
                GeneratedBinlog binlog = workload.generate(server, workload.rows(scale));
                Path file = dir.resolve(flavorName + "-" + workload.label() + ".binlog");
                int events = record(server, binlog, file);
                System.out.printf("%s: %,d rows, %,d events, %,d bytes%n", file, binlog.rows(), events, Files.size(file));
            }
        }
    }

    /**
     * Keeps an embedded server with one workload's binlog up until stdin ends, and prints the arguments of a
     * {@link dev.canalboot.bench.jvm.ContenderJvm} that reads it (for profiling one contender's JVM by hand).
     */
    private static void serve(Workload workload, double scale, String flavorName) throws Exception {
        BenchServer.Flavor flavor = BenchServer.Flavor.valueOf(flavorName.toUpperCase(Locale.ROOT));
        try (BenchServer server = Servers.start(flavor, BenchOptions.parse(new String[]{"--scale=" + scale}))) {
            GeneratedBinlog binlog = workload.generate(server, workload.rows(scale));
            System.out.println("CONTENDER " + flavor + " " + server.host() + " " + server.port() + " " + server.user()
                    + " " + server.password() + " " + workload + " " + binlog.rows() + " " + binlog.start().file() + " "
                    + binlog.start().position() + " " + binlog.end().file() + " " + binlog.end().position() + " 5000");
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** Writes every event from the binlog's start to its end, each as a length and its bytes. */
    private static int record(BenchServer server, GeneratedBinlog binlog, Path file) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] count = {0};
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
             RawBinlogDump dump = RawBinlogDump.start(server, 4242, binlog.start(), event -> {
                 if (done.isDone()) {
                     return;
                 }
                 try {
                     byte[] bytes = ByteBufUtil.getBytes(event);
                     out.writeInt(bytes.length);
                     out.write(bytes);
                     count[0]++;
                 } catch (IOException e) {
                     done.completeExceptionally(e);
                 }
                 long next = event.getUnsignedIntLE(event.readerIndex() + 13);
                 int type = event.getUnsignedByte(event.readerIndex() + 4);
                 if (type != 4 && next >= binlog.end().position()) { // 4: ROTATE, whose position is the start
                     done.complete(null);
                 }
             }, done::completeExceptionally)) {
            done.get(10, TimeUnit.MINUTES);
        }
        return count[0];
    }

    private static void decode(Path file, int passes, String mode) throws IOException {
        List<byte[]> events = read(file);
        boolean deferred = switch (mode) {
            case "eager" -> false;
            case "deferred" -> true;
            default -> throw new IllegalArgumentException("mode eager or deferred, got " + mode);
        };
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        System.out.printf("%s %s: %,d events%n", file.getFileName(), mode, events.size());
        for (int pass = 1; pass <= passes; pass++) {
            ReadingSink sink = new ReadingSink(deferred);
            BinlogStreamDecoder decoder = new BinlogStreamDecoder("offline", NoShapeLookups.INSTANCE,
                    BinlogDecoderOptions.defaults());
            long cpu0 = threads.getThreadCpuTime(thread);
            long alloc0 = threads.getThreadAllocatedBytes(thread);
            long wall0 = System.nanoTime();
            for (byte[] event : events) {
                ByteBuf buf = Unpooled.wrappedBuffer(event);
                decoder.decode(buf, sink);
                sink.decodeDeferred();
            }
            long wall = System.nanoTime() - wall0;
            long cpu = threads.getThreadCpuTime(thread) - cpu0;
            long alloc = threads.getThreadAllocatedBytes(thread) - alloc0;
            System.out.printf(Locale.ROOT, "pass %d: %,d rows, CPU %.1f ns/row, %.1f B/row, wall %.1f ns/row (check %d)%n",
                    pass, sink.rows, (double) cpu / sink.rows, (double) alloc / sink.rows, (double) wall / sink.rows,
                    sink.check);
        }
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> events = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return events;
                }
                byte[] event = new byte[length];
                in.readFully(event);
                events.add(event);
            }
        }
    }

    /** Reads every value of every image, as contender 1's listener does; counts rows. */
    private static final class ReadingSink implements BinlogStreamDecoder.Sink {

        private final boolean deferred;
        private final List<RowImages> waiting = new ArrayList<>();
        long rows;
        long check;

        ReadingSink(boolean deferred) {
            this.deferred = deferred;
        }

        @Override
        public void onChange(ChangeEvent change) {
            if (change instanceof RowChange row) {
                rows++;
                read(row.before());
                read(row.after());
            }
        }

        private void read(Row row) {
            if (row == null) {
                return;
            }
            for (int i = 0; i < row.size(); i++) {
                if (row.get(i) != null) {
                    check++;
                }
            }
        }

        @Override
        public boolean deferRows() {
            return deferred;
        }

        @Override
        public void onRows(RowImages images) {
            waiting.add(images);
        }

        void decodeDeferred() {
            for (RowImages images : waiting) {
                images.decodeDetached(this::onChange);
            }
            waiting.clear();
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
