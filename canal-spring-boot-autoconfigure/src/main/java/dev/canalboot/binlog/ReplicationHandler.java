package dev.canalboot.binlog;

import dev.canalboot.binlog.protocol.ErrPacket;
import dev.canalboot.binlog.protocol.Packet;
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
    private final BinlogSourceMetrics metrics;
    private final Function<ErrPacket, SourceException> errors;
    private final Consumer<SourceException> ended;
    private final Runnable firstEvent;
    private final BooleanSupplier pausedByUs;
    private final String description;
    private boolean streaming;
    private boolean done;

    ReplicationHandler(EventDecoder decoder, BatchAssembler assembler, BinlogSourceMetrics metrics,
                       Function<ErrPacket, SourceException> errors, Runnable firstEvent,
                       Consumer<SourceException> ended, BooleanSupplier pausedByUs, String description) {
        super(false);
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
            metrics.bytesRead.add(payload.readableBytes());
            if (packet.isOk()) {
                if (!streaming) {
                    streaming = true;
                    firstEvent.run();
                }
                decoder.decode(payload.slice(payload.readerIndex() + 1, payload.readableBytes() - 1), assembler);
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
            end(ctx, new SourceException(description + ": failed reading the binlog after "
                    + assembler.lastTransactionEnd() + ": " + e, e, false));
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
