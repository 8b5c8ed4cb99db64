package dev.canalboot.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerProcessIT {

    @TempDir
    Path directory;

    @Test
    void missingLibaioIsNamedWithTheInstallCommand() throws Exception {
        Path log = directory.resolve("server.log");
        Files.writeString(log, "mysqld: error while loading shared libraries: libaio.so.1: "
                + "cannot open shared object file: No such file or directory\n");

        EmbeddedDatabaseException failure = ServerProcess.failure("MySQL exited with code 127 during start-up", log);

        assertThat(failure.getMessage())
                .startsWith("libaio1 is missing, install it with `apt-get install -y libaio1`")
                .contains("exited with code 127")
                .contains("libaio.so.1: cannot open shared object file");
    }

    @Test
    void failureCarriesOnlyTheTailOfALongLog() throws Exception {
        Path log = directory.resolve("server.log");
        Files.writeString(log, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n")));

        String message = ServerProcess.failure("it failed", log).getMessage();

        assertThat(message).contains("line 61\n").endsWith("line 100").doesNotContain("line 60\n")
                .doesNotContain("libaio");
    }

    @Test
    void failedSetUpCommandReportsExitCodeAndOutput() {
        Path log = directory.resolve("setup.log");

        assertThatThrownBy(() -> ServerProcess.runToCompletion("A failing step",
                List.of("sh", "-c", "echo something went wrong; exit 3"), log, Duration.ofMinutes(1)))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("A failing step failed with exit code 3")
                .hasMessageContaining("something went wrong");
    }
}
