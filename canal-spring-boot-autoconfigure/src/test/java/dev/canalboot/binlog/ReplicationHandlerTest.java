package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.ErrPacket;
import dev.canalboot.internal.binlog.protocol.Packet;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binlog stream's packets on an in-memory channel: 0x00 + event (with the semi-sync header when negotiated),
 * ERR, EOF, anything else; each ends the session once, with its reason.
 */
class ReplicationHandlerTest {

    private final List<String> decoded = new ArrayList<>();
    private final List<SourceException> endings = new ArrayList<>();
    private final List<String> semiSyncCalls = new ArrayList<>();
    private final AtomicInteger firstEvents = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final SourceCounters counters = new SourceCounters(() -> "test");
    private final BatchAssembler assembler = new BatchAssembler(1000,
            new BinlogCheckpoint("binlog.000001", 4, null, null), (batch, end) -> { }, counters);
    /** What the decoder does with each event; records its bytes by default. */
    private EventDecoder decoder = (event, sink) -> {
        decoded.add(ByteBufUtil.hexDump(event));
        sink.onPosition("binlog.000002", 120, null, false);
    };

    private EmbeddedChannel channel(boolean semiSync) {
        ReplicationHandler.SemiSync sync = !semiSync ? null : new ReplicationHandler.SemiSync() {
            @Override
            public void onHeaders(boolean present) {
                semiSyncCalls.add("headers:" + present);
            }

            @Override
            public void onAckRequested(String file, long endPosition) {
                semiSyncCalls.add("ack:" + file + ":" + endPosition);
            }
        };
        return new EmbeddedChannel(new ReplicationHandler((event, sink) -> decoder.decode(event, sink), assembler,
                counters, err -> new SourceException("server error " + err.code(), null, false),
                firstEvents::incrementAndGet, endings::add, paused::get, "Binlog source 'test'", sync));
    }

    private static Packet packet(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int v : bytes) {
            b.writeByte(v);
        }
        return new Packet(1, b);
    }

    /** An event of 19 header bytes + 1 body byte whose log_pos (offset 13) is {@code logPos}. */
    private static ByteBuf event(long logPos) {
        ByteBuf e = Unpooled.buffer().writeIntLE(0).writeByte(16).writeIntLE(1).writeIntLE(20).writeIntLE((int) logPos)
                .writeShortLE(0).writeByte(0x2a);
        return e;
    }

    private static Packet okPacket(ByteBuf header, ByteBuf event) {
        return new Packet(1, Unpooled.wrappedBuffer(header, event));
    }

    @Test
    void eachEventGoesToTheDecoderWithoutItsOkByte() {
        EmbeddedChannel ch = channel(false);
        ch.writeInbound(packet(0x00, 0x01, 0x02), packet(0x00, 0x03));
        assertThat(decoded).containsExactly("0102", "03");
        assertThat(firstEvents.get()).as("told once, at the first event").isEqualTo(1);
        assertThat(counters.bytesRead()).isEqualTo(5);
        assertThat(endings).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void withoutSemiSyncAnEfByteIsEventData() {
        channel(false).writeInbound(packet(0x00, 0xef, 0x01, 0x07));
        assertThat(decoded).containsExactly("ef0107");
    }

    @Test
    void semiSyncHeadersAreStrippedAndAFlaggedEventIsAcknowledgedWithItsFileAndEnd() {
        EmbeddedChannel ch = channel(true);
        ch.writeInbound(okPacket(Unpooled.wrappedBuffer(new byte[] {0x00, (byte) 0xef, 0x00}), event(120)));
        ch.writeInbound(okPacket(Unpooled.wrappedBuffer(new byte[] {0x00, (byte) 0xef, 0x01}), event(4711)));
        assertThat(semiSyncCalls).containsExactly("headers:true", "ack:binlog.000002:4711");
        assertThat(decoded).hasSize(2).allSatisfy(hex -> assertThat(hex).hasSize(40).endsWith("2a"));
    }

    @Test
    void aServerWithoutSemiSyncSendsNoHeaders() {
        channel(true).writeInbound(okPacket(Unpooled.wrappedBuffer(new byte[] {0x00}), event(120)));
        assertThat(semiSyncCalls).containsExactly("headers:false");
        assertThat(decoded).singleElement().asString().hasSize(40);
    }

    @Test
    void anErrorPacketEndsTheSessionWithTheServersError() {
        EmbeddedChannel ch = channel(false);
        ByteBuf err = Unpooled.buffer().writeByte(0xff).writeShortLE(1236).writeByte('#')
                .writeBytes("HY000".getBytes(StandardCharsets.US_ASCII)).writeBytes("purged".getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(new Packet(1, err));
        assertThat(endings).singleElement().satisfies(e -> assertThat(e).hasMessage("server error 1236"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void eofIsTheServerEndingTheStreamAndRetryable() {
        channel(false).writeInbound(packet(0xfe, 0, 0, 2, 0));
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e).hasMessage("Binlog source 'test': the server ended the binlog stream at binlog.000001:4");
            assertThat(e.isRetryable()).isTrue();
        });
    }

    @Test
    void anyOtherPacketIsAProtocolErrorThatIsNotRetried() {
        channel(false).writeInbound(packet(0x05, 1));
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e).hasMessage("Binlog source 'test': unexpected packet 0x5 in the binlog stream after"
                    + " binlog.000001:4");
            assertThat(e.isRetryable()).isFalse();
        });
    }

    @Test
    void aDecoderFailureEndsTheSessionOnceAndLaterPacketsAreIgnored() {
        decoder = (event, sink) -> {
            decoded.add("x");
            throw new IllegalStateException("bad row");
        };
        EmbeddedChannel ch = channel(false);
        ch.writeInbound(packet(0x00, 0x01), packet(0x00, 0x02)); // one read: the second is already in it
        assertThat(decoded).containsExactly("x");
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e).hasMessage("Binlog source 'test': failed reading the binlog after binlog.000001:4:"
                    + " java.lang.IllegalStateException: bad row");
            assertThat(e.isRetryable()).isFalse();
        });
        assertThat(ch.isOpen()).isFalse();

        SourceException own = new SourceException("decoder's own", null, true);
        decoder = (event, sink) -> {
            throw own;
        };
        endings.clear();
        channel(false).writeInbound(packet(0x00, 0x01));
        assertThat(endings).containsExactly(own);
    }

    @Test
    void silenceEndsTheSessionUnlessTheSourcePausedReading() {
        EmbeddedChannel ch = channel(false);
        paused.set(true);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(endings).isEmpty();
        paused.set(false);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e).hasMessageContaining("nothing read (not even a heartbeat) within the read timeout");
            assertThat(e.isRetryable()).isTrue();
        });
    }

    @Test
    void aLostConnectionIsRetryableAndReportedOnce() {
        EmbeddedChannel ch = channel(false);
        ch.close();
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e).hasMessage("Binlog source 'test': connection closed by the server or network after"
                    + " binlog.000001:4");
            assertThat(e.isRetryable()).isTrue();
        });
    }

    @Test
    void theServersErrorIsDecodedForTheErrorFunction() {
        List<ErrPacket> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ReplicationHandler(decoder, assembler, counters, err -> {
            seen.add(err);
            return new SourceException("x", null, false);
        }, () -> { }, endings::add, () -> false, "d"));
        ByteBuf err = Unpooled.buffer().writeByte(0xff).writeShortLE(1236).writeByte('#')
                .writeBytes("HY000".getBytes(StandardCharsets.US_ASCII)).writeBytes("purged".getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(new Packet(1, err));
        assertThat(seen).containsExactly(new ErrPacket(1236, "HY000", "purged"));
    }
}
