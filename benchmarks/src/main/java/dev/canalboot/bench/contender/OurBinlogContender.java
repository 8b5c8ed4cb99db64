package dev.canalboot.bench.contender;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.RowDecoding;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;

/**
 * Contenders 1 and 2: our binlog source (acting as a replica) under the listener container with its default
 * settings, with a listener that reads every typed value (1) or nothing (2). Contender 1a is 1 with
 * {@link RowDecoding#ADAPTIVE}, where the listener thread decodes the rows read while it waits for work: what
 * sharing the decoding between the two threads gains or costs against the default, decoding on the connection's
 * thread.
 */
public final class OurBinlogContender implements Contender {

    /** Id of the contender measured only when named: 1 with the decoding shared between the two threads. */
    public static final String ADAPTIVE_ID = "1a-ours-binlog-typed-adaptive";

    private final boolean readValues;
    private final RowDecoding rowDecoding;

    public OurBinlogContender(boolean readValues) {
        this(readValues, null);
    }

    /** @param rowDecoding {@code null}: the source's default */
    public OurBinlogContender(boolean readValues, RowDecoding rowDecoding) {
        this.readValues = readValues;
        this.rowDecoding = rowDecoding;
    }

    @Override
    public String id() {
        if (rowDecoding == RowDecoding.ADAPTIVE) {
            return ADAPTIVE_ID;
        }
        return readValues ? "1-ours-binlog-typed" : "2-ours-binlog-dispatch";
    }

    @Override
    public String description() {
        return "our binlog source + @CanalListener container, listener " + (readValues
                ? "reads every column as its typed value" : "reads nothing (dispatch cost alone)")
                + (rowDecoding == RowDecoding.ADAPTIVE ? ", row decoding shared with the listener thread (ADAPTIVE)" : "");
    }

    @Override
    public void run(RunContext context) throws Exception {
        BinlogSourceSettings settings = settings(context, "bench-" + id(),
                new StartPosition.FilePosition(context.binlog().start().file(), context.binlog().start().position()));
        BinlogChangeSource source = new BinlogChangeSource(rowDecoding == null ? settings
                : settings.toBuilder().rowDecoding(rowDecoding).build());
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
