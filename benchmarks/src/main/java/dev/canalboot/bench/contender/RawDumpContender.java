package dev.canalboot.bench.contender;

import dev.canalboot.bench.BinlogPosition;
import dev.canalboot.bench.RawBinlogDump;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Contender 6, the limit: the same binlog dump through our protocol client (handshake, packet framing), reading
 * only the 19-byte event headers to know where the stream stands; no row is decoded. Its rows/s is the
 * workload's row count over the time to reach the binlog end.
 */
public final class RawDumpContender implements Contender {

    private static final int ROTATE_EVENT = 4;
    private static final int HEADER_LENGTH = 19;

    @Override
    public String id() {
        return "6-limit";
    }

    @Override
    public String description() {
        return "binlog dump through our protocol client, event headers only (no row decoding)";
    }

    @Override
    public void run(RunContext context) throws Exception {
        HeaderReader reader = new HeaderReader(context, context.binlog().start().file(), context.binlog().end());
        try (RawBinlogDump dump = RawBinlogDump.start(context.server(), context.replicaServerId(),
                context.binlog().start(), reader, context::fail)) {
            reader.trailerLength = dump.checksums() ? 4 : 0;
            context.awaitDone();
        }
    }

    /** Follows file and position from event headers and rotate events; done at the binlog end. */
    private static final class HeaderReader implements RawBinlogDump.EventHandler {

        private final RunContext context;
        private final BinlogPosition end;
        /** Set right after the dump started, long before the first real rotate. */
        volatile int trailerLength = 4;
        private String file;

        HeaderReader(RunContext context, String file, BinlogPosition end) {
            this.context = context;
            this.file = file;
            this.end = end;
        }

        @Override
        public void onEvent(ByteBuf event) {
            int at = event.readerIndex();
            int type = event.getUnsignedByte(at + 4);
            long nextPosition = event.getUnsignedIntLE(at + 13);
            if (type == ROTATE_EVENT) {
                // The dump opens with a fake rotate (next position 0) to the file we asked for: nothing to learn.
                if (nextPosition != 0) {
                    // body: 8-byte position, then the file name up to the CRC32 trailer
                    int nameStart = at + HEADER_LENGTH + 8;
                    int nameEnd = event.writerIndex() - trailerLength;
                    file = event.toString(nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
                }
                return;
            }
            if (nextPosition != 0 && !context.isDone() && new BinlogPosition(file, nextPosition).reached(end)) {
                context.delivered(context.expectedRows());
            }
        }
    }
}
