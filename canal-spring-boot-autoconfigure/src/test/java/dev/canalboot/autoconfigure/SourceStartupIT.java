package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.Redaction;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.Row;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How an application starts with its sources, through {@code SpringApplication.run} against a real MySQL 8.0.31:
 * a latest start is fixed when run returns, errors retrying cannot fix fail start-up (unless fail-fast is off).
 */
@ExtendWith(OutputCaptureExtension.class)
class SourceStartupIT {

    private static final String SCHEMA = "startup_it";

    static EmbeddedMySql db;
    static DatabaseUser user;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void createSchema() {
        db = TestServers.mysql();
        user = db.nativePasswordUser();
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".items (id BIGINT PRIMARY KEY)");
    }

    private ConfigurableApplicationContext run(String... properties) {
        return run(new Class<?>[]{App.class}, properties);
    }

    private ConfigurableApplicationContext run(Class<?>[] sources, String... properties) {
        List<String> all = new ArrayList<>(List.of("canal.checkpoint.file.directory=" + checkpoints,
                "canal.source.host=" + db.host(), "canal.source.port=" + db.port(),
                "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                "canal.source.ssl.mode=disabled"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }

    @Test
    void aLatestStartDeliversARowCommittedRightAfterRunReturned() throws Exception {
        for (int round = 1; round <= 3; round++) {
            try (ConfigurableApplicationContext context = run()) {
                long id = round;
                db.execute("INSERT INTO " + SCHEMA + ".items VALUES (" + id + ")");
                BlockingQueue<Long> received = context.getBean(App.class).ids;
                assertThat(received.poll(30, TimeUnit.SECONDS)).as("round %d", round).isEqualTo(id);
            }
        }
    }

    @Test
    void theContainerSaysWhenItsSourceStreams() throws Exception {
        try (ConfigurableApplicationContext context = run()) {
            CanalListenerContainer container = context.getBean(CanalListenerEndpointRegistry.class)
                    .getListenerContainer("default");
            assertThat(container.awaitStarted(Duration.ofSeconds(10))).isTrue();
            assertThat(container.getSource().state()).isEqualTo(SourceState.CONNECTED);
        }
    }

    @Test
    void aWrongPasswordFailsStartUpNamingThePropertyAndTheWayOut() {
        Throwable failure = catchStartFailure(() -> run("canal.source.password=not-the-password"));
        FailureAnalysis analysis = FailureAnalysisSupport.analyze(failure);
        assertThat(analysis.getDescription()).contains("'default'").contains("canal.source")
                .contains("Access denied");
        assertThat(analysis.getAction()).contains("canal.source.username").contains("canal.source.password")
                .contains("canal.fail-fast=false");
    }

    @Test
    void withFailFastOffTheApplicationStartsAndTheSourceIsFailed() {
        try (ConfigurableApplicationContext context = run("canal.source.password=not-the-password",
                "canal.fail-fast=false")) {
            CanalListenerContainer container = context.getBean(CanalListenerEndpointRegistry.class)
                    .getListenerContainer("default");
            assertThat(container.getState()).isEqualTo(ContainerState.FAILED);
            assertThat(container.getSource().state()).isEqualTo(SourceState.FAILED);
            assertThat(container.getLastError()).hasMessageContaining("Access denied");
            assertThat(Redaction.redact(container.getLastError().getMessage()))
                    .as("what health and the endpoint show").contains("(using password: YES)");
        }
    }

    @Test
    void anUnreachableServerDoesNotFailStartUpAndIsRetriedInTheBackground() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ConfigurableApplicationContext context = run("canal.source.port=" + port,
                "canal.source.reconnect.initial-interval=100ms", "canal.source.reconnect.max-interval=200ms")) {
            CanalListenerContainer container = context.getBean(CanalListenerEndpointRegistry.class)
                    .getListenerContainer("default");
            assertThat(container.getState()).isIn(ContainerState.RUNNING, ContainerState.STARTING);
            assertThat(container.getSource().state()).isEqualTo(SourceState.RECONNECTING);
            assertThat(container.awaitStarted(Duration.ofMillis(500))).isFalse();
            assertThat(container.getSource().state()).as("still retrying").isEqualTo(SourceState.RECONNECTING);
        }
    }

    @Test
    void theStartUpLogListsEachSourcesListenersAndWarnsOfAPatternMatchingNoTable(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run(new Class<?>[]{App.class, TypoListener.class})) {
            assertThat(output).contains("Source 'default' starts with listeners")
                    .contains("[" + SCHEMA + ".items]").contains("[" + SCHEMA + ".itemz]")
                    .contains("table pattern '" + SCHEMA + ".itemz' matches no table")
                    .doesNotContain("table pattern '" + SCHEMA + ".items' matches no table")
                    .contains("replicating from " + db.host() + ":" + db.port());
        }
    }

    private static Throwable catchStartFailure(Runnable start) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                start.run();
            } catch (RuntimeException e) {
                caught[0] = e;
                throw e;
            }
        }).isNotNull();
        return caught[0];
    }

    @Configuration(proxyBeanMethods = false)
    static class TypoListener {
        @CanalListener(id = "typo", table = SCHEMA + ".itemz")
        void onItem(Row row) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CanalAutoConfiguration.class)
    static class App {
        final BlockingQueue<Long> ids = new LinkedBlockingQueue<>();

        @CanalListener(table = SCHEMA + ".items")
        void onItem(Row row) {
            ids.add(row.getLong("id"));
        }
    }
}
