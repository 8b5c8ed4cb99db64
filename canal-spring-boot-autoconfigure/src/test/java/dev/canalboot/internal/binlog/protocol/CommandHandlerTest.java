package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command phase against hand-built responses (OK, ERR, text result sets with and without
 * CLIENT_DEPRECATE_EOF), on an in-memory channel.
 */
class CommandHandlerTest {

    private EmbeddedChannel channel;
    private CommandHandler handler;

    private void open(boolean deprecateEof) {
        long caps = Capabilities.PROTOCOL_41 | (deprecateEof ? Capabilities.DEPRECATE_EOF : 0);
        handler = new CommandHandler(new ServerInfo("db.example:3306", "8.0.36", 1, false, caps, false,
                AuthPlugins.NATIVE, false));
        channel = new EmbeddedChannel(handler);
    }

    private CompletableFuture<ResultSet> submit(String sql, boolean raw) {
        return submit(sql, raw ? rawRows::add : null);
    }

    /** Rows of a raw query, as the handler handed them over. */
    private final List<byte[][]> rawRows = new java.util.ArrayList<>();

    private CompletableFuture<ResultSet> submit(String sql, java.util.function.Consumer<byte[][]> raw) {
        ChannelHandlerContext ctx = channel.pipeline().context(handler);
        ByteBuf command = Unpooled.buffer().writeByte(0x03).writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        CompletableFuture<ResultSet> result = new CompletableFuture<>();
        handler.submit(ctx, command, "query '" + sql + "'", result, raw);
        return result;
    }

    private String sentQuery() {
        OutboundPacket out = channel.readOutbound();
        assertThat(out).as("a command sent").isNotNull();
        assertThat(out.startsCommand()).as("sequence ids restart per command").isTrue();
        return out.payload().toString(1, out.payload().readableBytes() - 1, StandardCharsets.UTF_8);
    }

    private void receive(ByteBuf payload) {
        channel.writeInbound(new Packet(1, payload));
    }

    private void receive(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int v : bytes) {
            b.writeByte(v);
        }
        receive(b);
    }

    private static ByteBuf row(String... cells) {
        ByteBuf b = Unpooled.buffer();
        for (String cell : cells) {
            if (cell == null) {
                b.writeByte(0xfb);
            } else {
                PacketFields.writeLengthEncodedBytes(b, cell.getBytes(StandardCharsets.UTF_8));
            }
        }
        return b;
    }

    /** ColumnDefinition41: catalog, schema, table, org_table, name, org_name, then fixed fields. */
    private static ByteBuf column(String name) {
        ByteBuf b = row("def", "mysql", "t", "t", name, name);
        b.writeByte(0x0c).writeShortLE(45).writeIntLE(80).writeByte(0xfd).writeShortLE(0).writeByte(0).writeShortLE(0);
        return b;
    }

    private void resultSet(boolean deprecateEof, String[]... rows) {
        receive(2);
        receive(column("File"));
        receive(column("Position"));
        if (!deprecateEof) {
            receive(0xfe, 0, 0, 2, 0);
        }
        for (String[] r : rows) {
            receive(row(r));
        }
        if (deprecateEof) {
            receive(0xfe, 0, 0, 2, 0, 0, 0); // OK packet with the EOF header
        } else {
            receive(0xfe, 0, 0, 2, 0);
        }
    }

    private static Throwable failure(CompletableFuture<ResultSet> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOkCompletesWithNoResultSet() {
        open(true);
        CompletableFuture<ResultSet> f = submit("SET @a = 1", false);
        assertThat(sentQuery()).isEqualTo("SET @a = 1");
        assertThat(f).isNotDone();
        receive(0x00, 0, 0, 2, 0, 0, 0);
        assertThat(f.join()).isSameAs(ResultSet.NONE);
        assertThat(handler.idle()).isTrue();
    }

    @Test
    void commandsAreSentOneAtATime() {
        open(true);
        CompletableFuture<ResultSet> first = submit("SET @a = 1", false);
        CompletableFuture<ResultSet> second = submit("SET @b = 2", false);
        assertThat(sentQuery()).isEqualTo("SET @a = 1");
        assertThat((Object) channel.readOutbound()).as("the second waits for the first's response").isNull();
        assertThat(handler.idle()).isFalse();
        receive(0x00, 0, 0, 2, 0, 0, 0);
        assertThat(first).isCompleted();
        assertThat(sentQuery()).isEqualTo("SET @b = 2");
        receive(0x00, 0, 0, 2, 0, 0, 0);
        assertThat(second).isCompleted();
        assertThat(handler.idle()).isTrue();
    }

    @Test
    void aTextResultSetWithEofPackets() {
        open(false);
        CompletableFuture<ResultSet> f = submit("SHOW MASTER STATUS", false);
        sentQuery();
        resultSet(false, new String[] {"binlog.000003", "157"}, new String[] {"binlog.000004", null});
        ResultSet rs = f.join();
        assertThat(rs.columns()).containsExactly("File", "Position");
        assertThat(rs.rows()).containsExactly(List.of("binlog.000003", "157"), Arrays.asList("binlog.000004", null));
        assertThat(rs.first("Position")).isEqualTo("157");
    }

    @Test
    void aTextResultSetWithDeprecateEofEndsWithAnOkCarryingTheEofHeader() {
        open(true);
        CompletableFuture<ResultSet> f = submit("SHOW MASTER STATUS", false);
        sentQuery();
        resultSet(true, new String[] {"binlog.000003", "157"});
        assertThat(f.join().rows()).containsExactly(List.of("binlog.000003", "157"));
        assertThat(f.join().columns()).containsExactly("File", "Position");
    }

    @Test
    void rawRowsKeepTheCellsBytes() {
        open(true);
        CompletableFuture<ResultSet> f = submit("SELECT", true);
        sentQuery();
        resultSet(true, new String[] {"é", null});
        ResultSet rs = f.join();
        assertThat(rawRows).hasSize(1);
        assertThat(rawRows.get(0)[0]).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
        assertThat(rawRows.get(0)[1]).isNull();
        assertThat(rs.rows()).isEmpty();
    }

    @Test
    void rawRowsOfLongCellsEmptyCellsAndNullsEachFromOneCopy() {
        open(true);
        CompletableFuture<ResultSet> f = submit("SELECT", true);
        sentQuery();
        String wide = "x".repeat(300); // a 3-byte length (0xfc); the row is larger than the first copy buffer
        String wider = "y".repeat(70_000); // a 4-byte length (0xfd)
        resultSet(true, new String[] {wide, wider}, new String[] {"", null}, new String[] {"a", "b"});
        f.join();
        assertThat(rawRows).hasSize(3);
        assertThat(new String(rawRows.get(0)[0], StandardCharsets.UTF_8)).isEqualTo(wide);
        assertThat(new String(rawRows.get(0)[1], StandardCharsets.UTF_8)).isEqualTo(wider);
        assertThat(rawRows.get(1)[0]).isEmpty();
        assertThat(rawRows.get(1)[1]).isNull();
        assertThat(rawRows.get(2)).as("a short row after the long one: its own bytes only")
                .isDeepEqualTo(new byte[][] {"a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8)});
    }

    @Test
    void whatTheRawRowsConsumerThrowsFailsItsCommandOnceTheResultIsRead() {
        open(true);
        List<String> seen = new java.util.ArrayList<>();
        IllegalStateException boom = new IllegalStateException("cannot type that");
        CompletableFuture<ResultSet> f = submit("SELECT", cells -> {
            seen.add(new String(cells[0], StandardCharsets.UTF_8));
            throw boom;
        });
        CompletableFuture<ResultSet> next = submit("SET @a = 1", false);
        sentQuery();
        resultSet(true, new String[] {"a", null}, new String[] {"b", null});
        assertThat(failure(f)).isSameAs(boom);
        assertThat(seen).as("no row after the failure").containsExactly("a");
        assertThat(sentQuery()).as("the connection reads on").isEqualTo("SET @a = 1");
        receive(0x00, 0, 0, 2, 0, 0, 0);
        assertThat(next.join()).isSameAs(ResultSet.NONE);
    }

    @Test
    void anErrorFailsOnlyItsCommand() {
        open(true);
        CompletableFuture<ResultSet> bad = submit("SELEC 1", false);
        CompletableFuture<ResultSet> next = submit("SET @a = 1", false);
        sentQuery();
        ByteBuf err = Unpooled.buffer().writeByte(0xff).writeShortLE(1064).writeByte('#')
                .writeBytes("42000".getBytes(StandardCharsets.US_ASCII)).writeBytes("syntax".getBytes(StandardCharsets.US_ASCII));
        receive(err);
        assertThat(failure(bad)).isInstanceOf(MySqlServerException.class)
                .hasMessage("query 'SELEC 1' on db.example:3306 failed: ERROR 1064 (42000): syntax");
        assertThat(sentQuery()).isEqualTo("SET @a = 1");
        receive(0x00, 0, 0, 2, 0, 0, 0);
        assertThat(next.join()).isSameAs(ResultSet.NONE);
    }

    @Test
    void anErrorWhileReadingRowsSaysSo() {
        open(true);
        CompletableFuture<ResultSet> f = submit("SELECT", false);
        sentQuery();
        receive(1);
        receive(column("c"));
        receive(row("1"));
        receive(Unpooled.buffer().writeByte(0xff).writeShortLE(1317).writeByte('#')
                .writeBytes("70100".getBytes(StandardCharsets.US_ASCII)).writeBytes("interrupted".getBytes(StandardCharsets.US_ASCII)));
        assertThat(failure(f)).isInstanceOf(MySqlServerException.class)
                .hasMessage("query 'SELECT' on db.example:3306 failed while reading rows: ERROR 1317 (70100): interrupted");
        assertThat(handler.idle()).isTrue();
    }

    @Test
    void localInfileIsRefusedAndTheConnectionClosed() {
        open(true);
        CompletableFuture<ResultSet> f = submit("LOAD DATA LOCAL INFILE 'x' INTO TABLE t", false);
        CompletableFuture<ResultSet> queued = submit("SET @a = 1", false);
        sentQuery();
        receive(Unpooled.buffer().writeByte(0xfb).writeBytes("x".getBytes(StandardCharsets.US_ASCII)));
        assertThat(failure(f)).isInstanceOf(MySqlProtocolException.class)
                .hasMessage("LOCAL INFILE requested by db.example:3306 is not supported");
        assertThat(failure(queued)).isInstanceOf(MySqlProtocolException.class);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aPacketWithNoCommandPendingClosesTheConnection() {
        open(true);
        receive(0x00, 0, 0, 2, 0, 0, 0);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aClosedConnectionFailsTheCurrentAndQueuedCommandsAsRetryable() {
        open(true);
        CompletableFuture<ResultSet> current = submit("SELECT 1", false);
        CompletableFuture<ResultSet> queued = submit("SELECT 2", false);
        channel.close();
        for (CompletableFuture<ResultSet> f : List.of(current, queued)) {
            Throwable cause = failure(f);
            assertThat(cause).isInstanceOf(SourceException.class).hasMessage("Connection to db.example:3306 closed");
            assertThat(((SourceException) cause).isRetryable()).isTrue();
        }
        assertThat(handler.idle()).isTrue();
        assertThatThrownBy(current::join).hasCauseInstanceOf(SourceException.class);
    }
}
