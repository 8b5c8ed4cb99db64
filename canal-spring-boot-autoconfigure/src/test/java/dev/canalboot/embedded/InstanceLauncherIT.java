package dev.canalboot.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How an instance is launched: its private data directory, start-up SQL file, port retries and what a failed
 * start leaves. The "servers" here are shell scripts that fail at once (the real ones: {@link EmbeddedMySqlIT});
 * what launches before any process starts: {@link InstanceLauncherTest}.
 */
class InstanceLauncherIT {

    @TempDir
    Path template;

    private final List<InstanceLauncher.Instance> launched = new CopyOnWriteArrayList<>();

    private static List<String> shell(String script) {
        return List.of("sh", "-c", script);
    }

    @Test
    void theInstanceRunsOnACopyOfTheTemplateWithoutItsServerUuidAndWithItsStartUpSql() throws IOException {
        Files.writeString(template.resolve("auto.cnf"), "[auto]\nserver-uuid=copied");
        Files.createDirectories(template.resolve("mysql"));
        Files.writeString(template.resolve("mysql/user.ibd"), "accounts");

        EmbeddedDatabaseException failure = catchThrowableOfType(EmbeddedDatabaseException.class, () ->
                InstanceLauncher.start("My SQL-8", template, List.of("CREATE DATABASE IF NOT EXISTS shop"),
                        Duration.ofSeconds(30), instance -> {
                            launched.add(instance);
                            return shell("cat " + instance.initFile() + "; cd " + instance.dataDirectory()
                                    + " && ls -R; test -e auto.cnf || echo 'no auto.cnf'; exit 3");
                        }));

        assertThat(launched).hasSize(1);
        InstanceLauncher.Instance instance = launched.get(0);
        assertThat(instance.directory().getFileName().toString()).startsWith("canalboot-mysql8-");
        assertThat(instance.dataDirectory()).isEqualTo(instance.directory().resolve("data"));
        assertThat(instance.socket()).isEqualTo(instance.directory().resolve("server.sock"));
        assertThat(instance.port()).isPositive();
        assertThat(instance.initFile()).isEqualTo(instance.directory().resolve("init.sql"));
        assertThat(failure.getMessage()).contains("My SQL-8 on port " + instance.port() + " exited with code 3 during start-up")
                .contains("CREATE DATABASE IF NOT EXISTS shop;").contains("user.ibd").contains("no auto.cnf");
        assertThat(template.resolve("auto.cnf")).as("the template is untouched").exists();
        StartFailures.assertOnlyTheLogIsKeptAndCleanUp(failure);
    }

    @Test
    void withoutStartUpSqlThereIsNoInitFile() throws IOException {
        EmbeddedDatabaseException failure = catchThrowableOfType(EmbeddedDatabaseException.class, () ->
                InstanceLauncher.start("MariaDB", template, List.of(), Duration.ofSeconds(30), instance -> {
                    launched.add(instance);
                    return shell("exit 1");
                }));

        assertThat(launched).hasSize(1);
        assertThat(launched.get(0).initFile()).isNull();
        StartFailures.assertOnlyTheLogIsKeptAndCleanUp(failure);
    }

    @Test
    void aPortTakenMeanwhileIsRetriedOnAnotherPortThreeTimesInAll() throws IOException {
        EmbeddedDatabaseException failure = catchThrowableOfType(EmbeddedDatabaseException.class, () ->
                InstanceLauncher.start("MySQL", template, List.of(), Duration.ofSeconds(30), instance -> {
                    launched.add(instance);
                    return shell("echo 'Do you already have another mysqld server running on port: "
                            + instance.port() + "? Address already in use'; exit 1");
                }));

        assertThat(launched).hasSize(3);
        assertThat(launched).extracting(InstanceLauncher.Instance::directory).as("one data directory for all attempts")
                .containsOnly(launched.get(0).directory());
        assertThat(failure.getMessage()).contains("already in use");
        Path log = launched.get(0).dataDirectory().resolve("server.log");
        assertThat(ServerProcess.logTail(log).lines().filter(line -> line.contains("Address already in use")))
                .as("each attempt's server said so in the one kept log").hasSize(3);
        StartFailures.assertOnlyTheLogIsKeptAndCleanUp(failure);
    }
}
