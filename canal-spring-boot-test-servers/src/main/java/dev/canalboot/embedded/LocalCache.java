package dev.canalboot.embedded;

import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directories built once per machine and reused: unpacked server binaries and initialized template
 * data directories. Each is built in a scratch directory and renamed into place, so concurrent JVMs
 * never see a half-built one; the loser of a race discards its copy.
 *
 * <p>Root: system property {@value #CACHE_DIR_PROPERTY}, default {@code ~/.cache/canalboot-embedded}.
 */
final class LocalCache {

    static final String CACHE_DIR_PROPERTY = "canalboot.embedded.cache-dir";

    @FunctionalInterface
    interface Builder {
        void build(Path target) throws IOException, InterruptedException;
    }

    private LocalCache() {
    }

    static Path root() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "canalboot-embedded");
    }

    /** Returns {@code root()/name}, building it with {@code builder} if it does not exist yet. */
    static synchronized Path directory(String name, Builder builder) {
        Path target = root().resolve(name);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path scratch = null;
        try {
            Files.createDirectories(root());
            scratch = Files.createTempDirectory(root(), name + ".building-");
            builder.build(scratch);
            try {
                Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
                scratch = null;
            } catch (FileSystemException e) {
                // Linux reports a rename onto the other JVM's (non-empty) directory as a plain FileSystemException
                // ("Directory not empty"), not as one of its subclasses
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // Another JVM finished first; its copy is as good as ours
            }
            return target;
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Could not build cache directory " + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException("Interrupted while building cache directory " + target, e);
        } finally {
            if (scratch != null) {
                deleteRecursively(scratch);
            }
        }
    }

    static void copyRecursively(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteRecursively(Path directory) {
        deleteRecursivelyExcept(directory, null);
    }

    /** Deletes {@code directory} and everything in it but {@code keep} (and the directories holding it). */
    static void deleteRecursivelyExcept(Path directory, @Nullable Path keep) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                if (keep == null || !keep.startsWith(path)) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }
}
