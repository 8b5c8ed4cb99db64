package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.testsupport.DeliveryLog;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The consumer {@link dev.canalboot.binlog.CrashResumeIT} kills with SIGKILL and starts again: a binlog source
 * with a file checkpoint store in a poll → log (fsync'd) → ack loop, running until killed. Arguments: host port user
 * password serverId
 * checkpointDir deliveryLog table startFile startPosition.
 */
public final class CrashConsumerMain {

    public static void main(String[] args) throws Exception {
        BinlogSourceSettings settings = MainArgs.binlogSource("crash", args)
                .start(new StartPosition.FilePosition(args[8], Long.parseLong(args[9])))
                .batchSize(50)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 30)
                .build();
        FileCheckpointStore store = new FileCheckpointStore(Path.of(args[5]));
        try (DeliveryLog log = new DeliveryLog(Path.of(args[6]), args[7]);
             BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.start();
            System.out.println("STARTED from " + source.acknowledgedPosition());
            while (true) {
                ChangeBatch batch = source.poll(Duration.ofSeconds(1));
                if (batch != null) {
                    log.append(batch);
                    source.ack(batch);
                }
            }
        }
    }
}
