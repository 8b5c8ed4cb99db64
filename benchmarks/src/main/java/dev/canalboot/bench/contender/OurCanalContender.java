package dev.canalboot.bench.contender;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.testsupport.EmbeddedCanalServer;

/**
 * Contender 5: our Canal source on the same Canal server set-up as contender 4, under the listener container
 * with the listener of contender 1 (every column read as its typed value).
 */
public final class OurCanalContender implements Contender {

    @Override
    public String id() {
        return "5-ours-canal";
    }

    @Override
    public String description() {
        return "Canal 1.1.7 server + our Canal source + @CanalListener container, listener reads every typed value";
    }

    @Override
    public String unavailableReason(BenchServer server) {
        return server.embedded() == null ? "needs an embedded server (the Canal server is started against it)" : null;
    }

    @Override
    public void run(RunContext context) throws Exception {
        try (EmbeddedCanalServer canal = OfficialCanalContender.startCanal(context)) {
            CanalSettings settings = CanalSettings.builder("bench-" + id(), canal.destination())
                    .address(canal.host() + ":" + canal.port())
                    .batchSize(OfficialCanalContender.BATCH_SIZE)
                    .build();
            ListenerHarness.run(new CanalChangeSource(settings), context, true);
        }
    }
}
