package dev.canalboot.readme;

import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.model.ChangeBatch;
import java.time.Duration;
import java.time.ZoneId;

/** README snippet, compiled: the Canal source on its own (Canal source). ReadmeSnippetsTest checks the README still shows these lines. */
class CanalSourceSnippet {

    void example() throws InterruptedException {
        CanalSettings settings = CanalSettings.builder("orders", "example")   // source name, Canal destination
                .address("canal-1:11111").address("canal-2:11111")            // tried in turn on failure
                .credentials("canal", "secret")                               // sent scrambled, never in clear
                .serverZone(ZoneId.of("Asia/Shanghai"))                       // the Canal server JVM's zone
                .build();
        try (CanalChangeSource source = new CanalChangeSource(settings)) {
            source.start();
            ChangeBatch batch = source.poll(Duration.ofSeconds(1));
            // ... hand batch.events() to the application
            source.ack(batch);                                                // or source.rollback(batch)
        }
    }
}
