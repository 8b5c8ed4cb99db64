package dev.canalboot.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Directories built once per machine: built in scratch and renamed into place, failures leaving nothing behind. */
class LocalCacheTest {

    @TempDir
    Path root;

    private String previousRoot;

    @BeforeEach
    void useTemporaryRoot() {
        previousRoot = System.getProperty(LocalCache.CACHE_DIR_PROPERTY);
        System.setProperty(LocalCache.CACHE_DIR_PROPERTY, root.toString());
    }

    @AfterEach
    void restoreRoot() {
        if (previousRoot == null) {
            System.clearProperty(LocalCache.CACHE_DIR_PROPERTY);
        } else {
            System.setProperty(LocalCache.CACHE_DIR_PROPERTY, previousRoot);
        }
    }

    private String[] entriesOfRoot() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void theRootIsThePropertysOrUnderTheUsersHome() {
        assertThat(LocalCache.root()).isEqualTo(root);
        System.clearProperty(LocalCache.CACHE_DIR_PROPERTY);
        assertThat(LocalCache.root()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "canalboot-embedded"));
    }

    @Test
    void aDirectoryIsBuiltOnceAndThenReused() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        LocalCache.Builder builder = target -> {
            builds.incrementAndGet();
            Files.writeString(target.resolve("bin"), "built");
        };

        Path first = LocalCache.directory("server-1", builder);
        Path second = LocalCache.directory("server-1", builder);

        assertThat(first).isEqualTo(root.resolve("server-1")).isEqualTo(second);
        assertThat(first.resolve("bin")).hasContent("built");
        assertThat(builds).hasValue(1);
        assertThat(entriesOfRoot()).as("no scratch directory left").containsExactly("server-1");
    }

    @Test
    void aFailedBuildNamesTheDirectoryAndLeavesNothing() throws IOException {
        assertThatThrownBy(() -> LocalCache.directory("server-1", target -> {
            Files.writeString(target.resolve("half"), "x");
            throw new IOException("disk full");
        })).isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessage("Could not build cache directory " + root.resolve("server-1") + ": disk full")
                .hasCauseInstanceOf(IOException.class);

        assertThat(entriesOfRoot()).isEmpty();
    }

    @Test
    void anInterruptedBuildSaysSoAndKeepsTheInterrupt() throws IOException {
        try {
            assertThatThrownBy(() -> LocalCache.directory("server-1", target -> {
                throw new InterruptedException();
            })).isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessage("Interrupted while building cache directory " + root.resolve("server-1"));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(entriesOfRoot()).isEmpty();
    }

    @Test
    void whenAnotherProcessFinishedFirstItsDirectoryIsTakenAndOursDiscarded() throws IOException {
        Path target = LocalCache.directory("server-1", scratch -> {
            Files.writeString(scratch.resolve("bin"), "ours");
            // The other JVM renames its copy into place while this one builds
            Path theirs = root.resolve("server-1");
            Files.createDirectories(theirs);
            Files.writeString(theirs.resolve("bin"), "theirs");
        });

        assertThat(target.resolve("bin")).hasContent("theirs");
        assertThat(entriesOfRoot()).containsExactly("server-1");
    }

    @Test
    void copyingKeepsTheTree() throws IOException {
        Path source = Files.createDirectories(root.resolve("template/data/mysql"));
        Files.writeString(source.resolve("user.ibd"), "rows");
        Files.writeString(root.resolve("template/data/auto.cnf"), "uuid");
        Files.createDirectories(root.resolve("template/empty"));

        LocalCache.copyRecursively(root.resolve("template"), root.resolve("copy"));

        assertThat(root.resolve("copy/data/mysql/user.ibd")).hasContent("rows");
        assertThat(root.resolve("copy/data/auto.cnf")).hasContent("uuid");
        assertThat(root.resolve("copy/empty")).isEmptyDirectory();
    }

    @Test
    void deletingCanKeepOneFileAndTheDirectoriesHoldingIt() throws IOException {
        Path instance = Files.createDirectories(root.resolve("instance/data/mysql"));
        Files.writeString(instance.resolve("big.ibd"), "x");
        Path log = Files.writeString(root.resolve("instance/data/server.log"), "why it failed");
        Files.writeString(root.resolve("instance/init.sql"), "SELECT 1;");

        LocalCache.deleteRecursivelyExcept(root.resolve("instance"), log);

        try (Stream<Path> left = Files.walk(root.resolve("instance"))) {
            assertThat(left.map(p -> root.relativize(p).toString()))
                    .containsExactlyInAnyOrder("instance", "instance/data", "instance/data/server.log");
        }
        LocalCache.deleteRecursively(root.resolve("instance"));
        assertThat(root.resolve("instance")).doesNotExist();
        LocalCache.deleteRecursively(root.resolve("instance")); // already gone: nothing to do
    }
}
