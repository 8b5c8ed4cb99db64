package dev.canalboot.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a MySQL comes from: Debian packages unpacked in a directory are checked for their server and loader and
 * asked their version once (here a shell script stands in for the dynamic loader and prints what mysqld would).
 * The checks that run nothing: {@link MySqlDistributionTest}.
 */
class MySqlDistributionIT {

    private static final String LOADER = "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";

    @TempDir
    Path root;

    /** An unpacked tree whose "loader" runs {@code script} with the mysqld command line as arguments. */
    private void unpacked(String script) throws IOException {
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve("usr/sbin/mysqld"), "not run: the loader runs it");
        Path loader = Files.createDirectories(root.resolve(LOADER).getParent()).resolve("ld-linux-x86-64.so.2");
        Files.writeString(loader, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(loader, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theVersionIsWhatMysqldPrintsAskedThroughTheTreesOwnLoaderOnce() throws IOException {
        unpacked("echo \"$*\" >> " + root.resolve("calls") + "\necho \"$3  Ver 9.7.4 for Linux on x86_64 (MySQL Community Server - GPL)\"");
        Files.createDirectories(root.resolve("lib/x86_64-linux-gnu"));
        MySqlDistribution distribution = MySqlDistribution.debianPackages(root);

        assertThat(distribution.version()).isEqualTo("9.7.4");
        assertThat(distribution.version()).isEqualTo("9.7.4");

        String libraries = root.resolve("usr/lib/x86_64-linux-gnu") + ":" + root.resolve("lib/x86_64-linux-gnu");
        assertThat(Files.readAllLines(root.resolve("calls"))).as("asked once")
                .containsExactly("--library-path " + libraries + " " + root.resolve("usr/sbin/mysqld") + " --version");
        MySqlDistribution.Installation installation = distribution.installation();
        assertThat(installation.basedir()).isEqualTo(root.resolve("usr"));
        assertThat(installation.mysqld()).containsExactly(root.resolve(LOADER).toString(), "--library-path", libraries,
                root.resolve("usr/sbin/mysqld").toString());
        assertThat(installation.versionNumber()).isEqualTo(90704);
        assertThat(distribution).hasToString("Debian MySQL packages unpacked in " + root);
        Path log = root.resolve("run.log");
        ServerProcess.runToCompletion("The server command line", installation.mysqld(), log, Duration.ofMinutes(1));
        assertThat(log).as("it runs mysqld through the tree's loader").content().contains("Ver 9.7.4");
    }

    @Test
    void aServerThatPrintsNoVersionIsRefusedShowingWhatItPrinted() throws IOException {
        unpacked("echo 'mysqld: error while loading shared libraries: libssl.so.3'");

        assertThatThrownBy(() -> MySqlDistribution.debianPackages(root).version())
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessage("mysqld in " + root + " printed no version: mysqld: error while loading shared libraries:"
                        + " libssl.so.3");
    }

    @Test
    void aServerThatFailsIsRefusedWithItsExitCodeAndOutput() throws IOException {
        unpacked("echo 'Segmentation fault'; exit 139");

        assertThatThrownBy(() -> MySqlDistribution.debianPackages(root).version())
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("Asking " + root + " for its MySQL version failed with exit code 139")
                .hasMessageContaining("Segmentation fault");
    }
}
