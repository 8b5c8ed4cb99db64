package dev.canalboot.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an instance launch checks and writes before any process starts: its start-up SQL script, the platform, the
 * template. Launches (with stand-in server scripts): {@link InstanceLauncherIT}.
 */
class InstanceLauncherTest {

    @TempDir
    Path template;

    @Test
    void startUpSqlIsOneStatementPerLineEachEndedBySemicolon() {
        assertThat(InstanceLauncher.sqlScript(List.of("CREATE DATABASE shop", "  SELECT 1;  ", "SET @a = 'x;y'")))
                .isEqualTo("CREATE DATABASE shop;\nSELECT 1;\nSET @a = 'x;y';\n");
        assertThat(InstanceLauncher.sqlScript(List.of())).isEmpty();
    }

    @Test
    void aStatementOverSeveralLinesIsRefusedShowingIt() {
        assertThatThrownBy(() -> InstanceLauncher.sqlScript(List.of("CREATE TABLE t (\n id INT)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Start-up SQL must be one statement per line, got: CREATE TABLE t (\n id INT)");
    }

    @Test
    void aTemplateThatCannotBeCopiedFailsNamingItAndLeavesNothing() {
        Path missing = template.resolve("never-initialized");

        assertThatThrownBy(() -> InstanceLauncher.start("MySQL", missing, List.of(), Duration.ofSeconds(30),
                instance -> List.of("true")))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("Could not prepare data directory").hasMessageContaining("for MySQL from template "
                        + missing);
    }

    @Test
    void rootIsAskedToRunAsRootAndOnlyLinuxX64IsAccepted() {
        String user = System.getProperty("user.name");
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        try {
            System.setProperty("user.name", "root");
            assertThat(InstanceLauncher.runAsRootOption()).containsExactly("--user=root");
            System.setProperty("user.name", "ci");
            assertThat(InstanceLauncher.runAsRootOption()).isEmpty();

            System.setProperty("os.name", "Linux");
            System.setProperty("os.arch", "x86_64");
            InstanceLauncher.requireLinuxX64();
            System.setProperty("os.arch", "aarch64");
            assertThatThrownBy(InstanceLauncher::requireLinuxX64).isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessage("Embedded databases need Linux x86-64; this is Linux aarch64");
            System.setProperty("os.name", "Mac OS X");
            System.setProperty("os.arch", "amd64");
            assertThatThrownBy(InstanceLauncher::requireLinuxX64).hasMessageEndingWith("this is Mac OS X amd64");
        } finally {
            System.setProperty("user.name", user);
            System.setProperty("os.name", os);
            System.setProperty("os.arch", arch);
        }
    }
}
