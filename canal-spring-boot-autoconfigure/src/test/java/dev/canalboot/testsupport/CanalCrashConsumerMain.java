package dev.canalboot.testsupport;

import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.testsupport.DeliveryLog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The consumer {@link dev.canalboot.canal.CanalCrashResumeIT} kills with SIGKILL and starts again: a Canal source
 * (the Canal server keeps the cursor) in a poll → log (fsync'd) → ack loop, running until killed. Arguments:
 * host:port destination
 * user password deliveryLog table.
 */
public final class CanalCrashConsumerMain {

    public static void main(String[] args) throws Exception {
        CanalSettings settings = CanalSettings.builder("crash", args[1])
                .address(args[0])
                .credentials(args[2], args[3])
                .batchSize(50)
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .serverZone(ZoneId.systemDefault())
                .build();
        try (DeliveryLog log = new DeliveryLog(Path.of(args[4]), args[5]);
             CanalChangeSource source = new CanalChangeSource(settings)) {
            source.start();
            System.out.println("STARTED");
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
