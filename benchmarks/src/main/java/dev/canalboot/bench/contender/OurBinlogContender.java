package dev.canalboot.bench.contender;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.RowDecoding;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;

/**
 * Contenders 1 and 2: our binlog source (acting as a replica) under the listener container, with a listener
 * that reads every typed value (1) or nothing (2). Contender 1t is 1 with every row decoded on the connection's
 * thread ({@link RowDecoding#CONNECTION_THREAD}): what sharing the decoding with the listener thread gains.
 */
public final class OurBinlogContender implements Contender {

    /** Id of the contender measured only when named: 1 without the decoding shared between threads. */
    public static final String CONNECTION_THREAD_ID = "1t-ours-binlog-typed-connection-thread";

    private final boolean readValues;
    private final RowDecoding rowDecoding;

    public OurBinlogContender(boolean readValues) {
        this(readValues, RowDecoding.ADAPTIVE);
    }

    public OurBinlogContender(boolean readValues, RowDecoding rowDecoding) {
        this.readValues = readValues;
        this.rowDecoding = rowDecoding;
    }

    @Override
    public String id() {
        if (rowDecoding != RowDecoding.ADAPTIVE) {
            return CONNECTION_THREAD_ID;
        }
        return readValues ? "1-ours-binlog-typed" : "2-ours-binlog-dispatch";
    }

    @Override
    public String description() {
        return "our binlog source + @CanalListener container, listener " + (readValues
                ? "reads every column as its typed value" : "reads nothing (dispatch cost alone)")
                + (rowDecoding != RowDecoding.ADAPTIVE ? ", rows decoded on the connection's thread only" : "");
    }

    @Override
    public void run(RunContext context) throws Exception {
        BinlogChangeSource source = new BinlogChangeSource(settings(context, "bench-" + id(),
                new StartPosition.FilePosition(context.binlog().start().file(), context.binlog().start().position()))
                .toBuilder().rowDecoding(rowDecoding).build());
        ListenerHarness.run(source, context, readValues);
    }

    /** Default settings but for where to start; the run fails at the first connection problem. */
    public static BinlogSourceSettings settings(RunContext context, String name, StartPosition start) {
        return BinlogSourceSettings.builder(name, context.server().host(), context.server().port(),
                        context.server().user(), context.server().password())
                .serverId(context.replicaServerId())
                .tls(TlsSettings.DISABLED)
                .start(start)
                .build();
    }
}
