package dev.canalboot.bench.contender;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.protocol.TlsSettings;

/**
 * Contenders 1 and 2: our binlog source (acting as a replica) under the listener container, with a listener
 * that reads every typed value (1) or nothing (2).
 */
public final class OurBinlogContender implements Contender {

    private final boolean readValues;

    public OurBinlogContender(boolean readValues) {
        this.readValues = readValues;
    }

    @Override
    public String id() {
        return readValues ? "1-ours-binlog-typed" : "2-ours-binlog-dispatch";
    }

    @Override
    public String description() {
        return "our binlog source + @CanalListener container, listener " + (readValues
                ? "reads every column as its typed value" : "reads nothing (dispatch cost alone)");
    }

    @Override
    public void run(RunContext context) throws Exception {
        BinlogChangeSource source = new BinlogChangeSource(settings(context, "bench-" + id(),
                new StartPosition.FilePosition(context.binlog().start().file(), context.binlog().start().position())));
        ListenerHarness.run(source, context, readValues);
    }

    /** Default settings but for where to start; the run fails at the first connection problem. */
    static BinlogSourceSettings settings(RunContext context, String name, StartPosition start) {
        return BinlogSourceSettings.builder(name, context.server().host(), context.server().port(),
                        context.server().user(), context.server().password())
                .serverId(context.replicaServerId())
                .tls(TlsSettings.DISABLED)
                .start(start)
                .build();
    }
}
