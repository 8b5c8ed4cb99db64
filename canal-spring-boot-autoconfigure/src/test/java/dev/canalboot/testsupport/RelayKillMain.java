package dev.canalboot.testsupport;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalRelayAutoConfiguration;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The relaying application {@code dev.canalboot.relay.RelayKillIT} kills with SIGKILL: a binlog source with a file checkpoint store
 * relaying to Kafka over three partitions, until killed. Prints {@code READY} once the source's container runs.
 * Arguments: host port user password checkpointDir bootstrapServers topic startFile startPosition (where the first
 * launch starts; later ones resume from the checkpoint).
 */
public final class RelayKillMain {

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("canal.checkpoint.file.directory=" + args[4],
                        "canal.source.host=" + args[0], "canal.source.port=" + args[1],
                        "canal.source.username=" + args[2], "canal.source.password=" + args[3],
                        "canal.source.ssl.mode=disabled",
                        "canal.source.start.mode=position", "canal.source.start.file=" + args[7],
                        "canal.source.start.position=" + args[8],
                        "canal.source.relay.enabled=true", "canal.source.relay.topic=" + args[6],
                        "canal.source.relay.partitions=3", "canal.source.relay.time-zone=UTC",
                        "spring.kafka.bootstrap-servers=" + args[5],
                        "logging.level.root=WARN")
                .run();
        context.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("default")
                .awaitStarted(Duration.ofSeconds(60));
        System.out.println("READY");
        Thread.currentThread().join();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalRelayAutoConfiguration.class})
    @EnableConfigurationProperties(KafkaProperties.class)
    static class App {
    }
}
