package dev.canalboot.bench.jmh;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.RawBinlogDump;
import dev.canalboot.bench.workload.GeneratedBinlog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real events of a workload's binlog, as the server sent them, for the decoder microbenchmarks: the format
 * description, the first table map and the rows event that follows it. Stored as three length-prefixed byte
 * arrays after a checksum flag.
 */
public record CapturedEvents(boolean checksums, byte[] formatDescription, byte[] tableMap, byte[] rows) {

    private static final int FORMAT_DESCRIPTION = 15;
    private static final int TABLE_MAP = 19;

    /** Reads the start of {@code binlog} off {@code server} until a table map and its rows event came. */
    public static CapturedEvents capture(BenchServer server, GeneratedBinlog binlog, long replicaServerId)
            throws Exception {
        CompletableFuture<CapturedEvents> result = new CompletableFuture<>();
        byte[][] found = new byte[3][];
        boolean[] checksums = new boolean[1];
        RawBinlogDump.EventHandler handler = event -> {
            int type = event.getUnsignedByte(event.readerIndex() + 4);
            if (type == FORMAT_DESCRIPTION && found[0] == null) {
                found[0] = ByteBufUtil.getBytes(event);
            } else if (type == TABLE_MAP && found[0] != null && found[1] == null) {
                found[1] = ByteBufUtil.getBytes(event);
            } else if (isRowsEvent(type) && found[1] != null && found[2] == null) {
                found[2] = ByteBufUtil.getBytes(event);
                result.complete(new CapturedEvents(checksums[0], found[0], found[1], found[2]));
            }
        };
        try (RawBinlogDump dump = RawBinlogDump.start(server, replicaServerId, binlog.start(), handler,
                result::completeExceptionally)) {
            checksums[0] = dump.checksums();
            return result.get(60, TimeUnit.SECONDS);
        }
    }

    private static boolean isRowsEvent(int type) {
        return (type >= 23 && type <= 25) || (type >= 30 && type <= 32);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeBoolean(checksums);
            for (byte[] event : new byte[][]{formatDescription, tableMap, rows}) {
                out.writeInt(event.length);
                out.write(event);
            }
        }
    }

    public static CapturedEvents read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            boolean checksums = in.readBoolean();
            byte[][] events = new byte[3][];
            for (int i = 0; i < 3; i++) {
                events[i] = new byte[in.readInt()];
                in.readFully(events[i]);
            }
            return new CapturedEvents(checksums, events[0], events[1], events[2]);
        }
    }

}
