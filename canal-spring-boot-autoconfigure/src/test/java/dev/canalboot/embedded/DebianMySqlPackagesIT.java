package dev.canalboot.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What of {@link DebianMySqlPackages} runs without apt: a tree already unpacked in the cache is used as it is. The
 * fetch itself (apt-get update, download, dpkg-deb) needs the network and is exercised by the Debian MySQL ITs.
 * Named *IT because {@code TestNamingTest} counts any use of the class as a server.
 */
class DebianMySqlPackagesIT {

    @TempDir
    Path cache;

    private String previousRoot;

    @BeforeEach
    void useTemporaryCache() {
        previousRoot = System.getProperty(LocalCache.CACHE_DIR_PROPERTY);
        System.setProperty(LocalCache.CACHE_DIR_PROPERTY, cache.toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousRoot == null) {
            System.clearProperty(LocalCache.CACHE_DIR_PROPERTY);
        } else {
            System.setProperty(LocalCache.CACHE_DIR_PROPERTY, previousRoot);
        }
    }

    @Test
    void anUnpackedTreeInTheCacheIsUsedWithoutFetching() throws Exception {
        Path unpacked = Files.createDirectories(cache.resolve("mysql-debian-sid").resolve("root"));

        assertThat(DebianMySqlPackages.unpacked()).isEqualTo(cache.resolve("mysql-debian-sid"));
        assertThat(DebianMySqlPackages.distribution()).hasToString("Debian MySQL packages unpacked in "
                + unpacked.toAbsolutePath());
        assertThat(cache.resolve("mysql-debian-sid").resolve("fetch.log")).as("apt was not run").doesNotExist();
        try (var entries = Files.list(cache)) {
            assertThat(entries).as("no build directory was made").containsExactly(cache.resolve("mysql-debian-sid"));
        }
    }
}
