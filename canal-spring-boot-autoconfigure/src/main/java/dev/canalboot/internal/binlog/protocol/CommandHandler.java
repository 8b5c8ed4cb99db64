package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.value.ByteReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The command phase: sends one command at a time (sequence ids restart per command, so no pipelining) and
 * reads its response — OK, ERR, or a text result set (column count, column definitions, EOF unless
 * CLIENT_DEPRECATE_EOF, rows, EOF/OK).
 */
final class CommandHandler extends SimpleChannelInboundHandler<Packet> {

    /** @param rawRows null, or where the rows go as they arrive, each cell's bytes (SQL NULL is null) */
    private record Pending(ByteBuf command, String description, CompletableFuture<ResultSet> result,
                           Consumer<byte[][]> rawRows) {
    }

    private final ServerInfo server;
    private final boolean deprecateEof;
    private final Queue<Pending> queue = new ArrayDeque<>();
    private Pending current;
    // Result set being read
    private int columnCount = -1;
    private List<String> columns;
    private boolean columnsDone;
    private List<List<String>> rows;
    /** What the raw rows' consumer threw: the rest of the result is read and dropped, then the command fails. */
    private RuntimeException rawRowsFailure;
    /** A raw row's payload copied out of the network buffer at once: its cells are cut from here, not read one by one. */
    private byte[] rawRowBytes = new byte[512];

    CommandHandler(ServerInfo server) {
        super(false);
        this.server = server;
        this.deprecateEof = Capabilities.has(server.capabilities(), Capabilities.DEPRECATE_EOF);
    }

    /** Must run on the channel's event loop. */
    void submit(ChannelHandlerContext ctx, ByteBuf command, String description, CompletableFuture<ResultSet> result,
                Consumer<byte[][]> rawRows) {
        queue.add(new Pending(command, description, result, rawRows));
        sendNext(ctx);
    }

    private void sendNext(ChannelHandlerContext ctx) {
        if (current != null || queue.isEmpty()) {
            return;
        }
        current = queue.poll();
        columnCount = -1;
        String description = current.description();
        ctx.writeAndFlush(new OutboundPacket(current.command(), true)).addListener(f -> {
            if (!f.isSuccess()) {
                failAll(new MySqlProtocolException("Sending " + description + " to " + server.address()
                        + " failed: " + f.cause()));
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
        try {
            if (current == null) {
                throw new MySqlProtocolException("Unexpected packet 0x" + Integer.toHexString(packet.header())
                        + " from " + server.address() + " with no command pending");
            }
            onResponse(packet);
        } finally {
            packet.release();
        }
        if (current == null) {
            sendNext(ctx);
        }
    }

    private void onResponse(Packet packet) {
        ByteBuf payload = packet.payload();
        if (columnCount < 0) {
            switch (packet.header()) {
                case 0x00 -> complete(ResultSet.NONE);
                case 0xFF -> {
                    ErrPacket err = ErrPacket.decode(payload);
                    MySqlServerException e = new MySqlServerException(current.description() + " on "
                            + server.address() + " failed: " + err, err, false);
                    finish(f -> f.completeExceptionally(e));
                }
                case 0xFB -> throw new MySqlProtocolException("LOCAL INFILE requested by " + server.address()
                        + " is not supported");
                default -> {
                    columnCount = (int) PacketFields.readLengthEncoded(payload.duplicate());
                    columns = new ArrayList<>(columnCount);
                    rows = new ArrayList<>();
                    rawRowsFailure = null;
                    columnsDone = false;
                }
            }
            return;
        }
        if (!columnsDone) {
            if (columns.size() < columnCount) {
                columns.add(columnName(payload));
                if (columns.size() == columnCount && deprecateEof) {
                    columnsDone = true;
                }
            } else if (packet.isEof()) {
                columnsDone = true;
            }
            return;
        }
        if (packet.isErr()) {
            ErrPacket err = ErrPacket.decode(payload);
            MySqlServerException e = new MySqlServerException(current.description() + " on "
                    + server.address() + " failed while reading rows: " + err, err, false);
            finish(f -> f.completeExceptionally(e));
        } else if (packet.isEof() || (deprecateEof && packet.header() == 0xFE && payload.readableBytes() < 0xFFFFFF)) {
            RuntimeException failure = rawRowsFailure;
            if (failure != null) {
                finish(f -> f.completeExceptionally(failure));
            } else {
                complete(new ResultSet(columns, rows));
            }
        } else if (current.rawRows() != null) {
            if (rawRowsFailure != null) {
                return;
            }
            byte[][] row = rawRow(payload);
            try {
                current.rawRows().accept(row);
            } catch (RuntimeException e) {
                rawRowsFailure = e;
            }
        } else {
            ByteBuf buf = payload.duplicate();
            List<String> row = new ArrayList<>(columnCount);
            for (int i = 0; i < columnCount; i++) {
                row.add(PacketFields.readLengthEncodedString(buf, StandardCharsets.UTF_8));
            }
            rows.add(row);
        }
    }

    /**
     * A text-protocol row's cells (null for SQL NULL), read from one copy of the payload: each read of a direct
     * network buffer checks its reference count and bounds, which cost more than the narrow cells themselves.
     */
    private byte[][] rawRow(ByteBuf payload) {
        if (rawRowBytes.length < payload.readableBytes()) {
            rawRowBytes = new byte[Math.max(payload.readableBytes(), 2 * rawRowBytes.length)];
        }
        ByteReader in = ByteReader.of(payload, rawRowBytes);
        byte[][] row = new byte[columnCount][];
        try {
            for (int i = 0; i < columnCount; i++) {
                long length = in.lengthEncodedOrNull();
                if (length >= 0) {
                    row[i] = in.bytes((int) Math.min(length, Integer.MAX_VALUE), 0); // checked against the bytes left
                }
            }
        } catch (BinlogDecodeException e) {
            throw new MySqlProtocolException("Row of " + current.description() + " from " + server.address()
                    + ": " + e.getMessage(), e);
        }
        return row;
    }

    /** Column definition 41: catalog, schema, table, org_table, name, ... — the name is the 5th string. */
    private static String columnName(ByteBuf payload) {
        ByteBuf buf = payload.duplicate();
        for (int i = 0; i < 4; i++) {
            PacketFields.readLengthEncodedString(buf, StandardCharsets.UTF_8);
        }
        return PacketFields.readLengthEncodedString(buf, StandardCharsets.UTF_8);
    }

    private void complete(ResultSet result) {
        finish(f -> f.complete(result));
    }

    private void finish(java.util.function.Consumer<CompletableFuture<ResultSet>> action) {
        Pending done = current;
        current = null;
        columnCount = -1;
        columns = null;
        rows = null;
        rawRowsFailure = null;
        action.accept(done.result());
    }

    boolean idle() {
        return current == null && queue.isEmpty();
    }

    void failAll(Throwable cause) {
        if (current != null) {
            current.result().completeExceptionally(cause);
            current = null;
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.command().release();
            p.result().completeExceptionally(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(new dev.canalboot.source.SourceException("Connection to " + server.address() + " closed",
                null, true));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(cause.getCause() instanceof dev.canalboot.source.SourceException se ? se : cause);
        ctx.close();
    }
}
