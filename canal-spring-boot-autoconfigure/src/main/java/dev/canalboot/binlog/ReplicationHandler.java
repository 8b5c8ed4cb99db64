package dev.canalboot.binlog;

import dev.canalboot.source.SourceCounters;
import dev.canalboot.internal.binlog.protocol.BinlogCommands;
import dev.canalboot.internal.binlog.protocol.ErrPacket;
import dev.canalboot.internal.binlog.protocol.Packet;
import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the binlog stream: each packet is 0x00 + one event (to the decoder), 0xFF an error, or EOF when the
 * server ends the stream. Ends the session exactly once, with the reason.
 */
final class ReplicationHandler extends SimpleChannelInboundHandler<Packet> {

    private final EventDecoder decoder;
    private final BatchAssembler assembler;
    private final SourceCounters metrics;
    private final Function<ErrPacket, SourceException> errors;
    private final Consumer<SourceException> ended;
    private final Runnable firstEvent;
    private final BooleanSupplier pausedByUs;
    private final String description;
    /** Null unless the session registered as a semi-sync replica: told (file, end offset) of events to acknowledge. */
    private final SemiSync semiSync;
    private boolean semiSyncHeaders;
    private boolean streaming;
    private boolean done;

    /** Receives the events the server wants a semi-sync acknowledgement for. */
    interface SemiSync {
        /** Whether the server sends semi-sync headers (known at the first event). */
        void onHeaders(boolean present);

        void onAckRequested(String file, long endPosition);
    }

    ReplicationHandler(EventDecoder decoder, BatchAssembler assembler, SourceCounters metrics,
                       Function<ErrPacket, SourceException> errors, Runnable firstEvent,
                       Consumer<SourceException> ended, BooleanSupplier pausedByUs, String description) {
        this(decoder, assembler, metrics, errors, firstEvent, ended, pausedByUs, description, null);
    }

    ReplicationHandler(EventDecoder decoder, BatchAssembler assembler, SourceCounters metrics,
                       Function<ErrPacket, SourceException> errors, Runnable firstEvent,
                       Consumer<SourceException> ended, BooleanSupplier pausedByUs, String description,
                       SemiSync semiSync) {
        super(false);
        this.semiSync = semiSync;
        this.decoder = decoder;
        this.assembler = assembler;
        this.metrics = metrics;
        this.errors = errors;
        this.firstEvent = firstEvent;
        this.ended = ended;
        this.pausedByUs = pausedByUs;
        this.description = description;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
        try {
            if (done) {
                return;
            }
            ByteBuf payload = packet.payload();
            metrics.bytesRead(payload.readableBytes());
            if (packet.isOk()) {
                if (!streaming) {
                    streaming = true;
                    // The first event is a rotate with a zero timestamp: a 0xEF there can only be the semi-sync header
                    semiSyncHeaders = semiSync != null && payload.readableBytes() > 1
                            && payload.getUnsignedByte(payload.readerIndex() + 1) == BinlogCommands.SEMI_SYNC_INDICATOR;
                    if (semiSync != null) {
                        semiSync.onHeaders(semiSyncHeaders);
                    }
                    firstEvent.run();
                }
                int eventStart = payload.readerIndex() + (semiSyncHeaders ? 3 : 1);
                boolean ackRequested = semiSyncHeaders
                        && (payload.getUnsignedByte(payload.readerIndex() + 2) & BinlogCommands.SEMI_SYNC_ACK_REQUESTED) != 0;
                ByteBuf event = payload.slice(eventStart, payload.writerIndex() - eventStart);
                // log_pos (end of the event in the server's binlog) sits at offset 13 of the event header
                if (ackRequested) {
                    // Before decoding: the batch this event closes may be acknowledged as soon as it is queued.
                    // A flagged event is a commit, never a rotate, so the file is the one of the events before it.
                    semiSync.onAckRequested(assembler.currentFile(), event.getUnsignedIntLE(event.readerIndex() + 13));
                }
                decoder.decode(event, assembler);
            } else if (packet.isErr()) {
                end(ctx, errors.apply(ErrPacket.decode(payload)));
            } else if (packet.isEof()) {
                end(ctx, new SourceException(description + ": the server ended the binlog stream at "
                        + assembler.lastTransactionEnd(), null, true));
            } else {
                end(ctx, new SourceException(description + ": unexpected packet 0x"
                        + Integer.toHexString(packet.header()) + " in the binlog stream after "
                        + assembler.lastTransactionEnd(), null, false));
            }
        } catch (SourceException e) {
            end(ctx, e);
        } catch (RuntimeException e) {
            end(ctx, ReplicationErrors.undecodable(description, assembler.lastTransactionEnd(), e));
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!done) {
            assembler.flushAtTransactionEnd();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (pausedByUs.getAsBoolean()) {
                return; // reading paused by back-pressure: the silence is ours, not the server's
            }
            end(ctx, new SourceException(description + ": nothing read (not even a heartbeat) within the read"
                    + " timeout; the server or network is presumed dead", null, true));
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(ctx, new SourceException(description + ": connection closed by the server or network after "
                + assembler.lastTransactionEnd(), null, true));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SourceException e = cause instanceof SourceException se ? se
                : cause.getCause() instanceof SourceException se2 ? se2
                : new SourceException(description + ": connection failed: " + cause, cause, true);
        end(ctx, e);
    }

    private void end(ChannelHandlerContext ctx, SourceException reason) {
        if (!done) {
            done = true;
            ctx.close();
            ended.accept(reason);
        }
    }
}
