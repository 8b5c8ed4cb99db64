package dev.canalboot.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * MariaDB's {@code auth_ed25519} server plugin, which the bundled {@link EmbeddedMariaDb} distribution lacks.
 * Taken from Debian's {@code mariadb-server} package (10.11; its plugin loads into the embedded 11.4): from a
 * local install if there is one, else downloaded once with {@code apt-get download} and unpacked with
 * {@code dpkg-deb} into the embedded-database cache. Nothing is installed and no root is needed.
 */
public final class Ed25519ServerPlugin {

    /** Set (to anything) where the plugin must be had, so its absence fails instead of skipping: CI. */
    public static final String REQUIRED_ENV = "CANALBOOT_REQUIRE_ED25519";

    static final String PACKAGE = "mariadb-server";
    static final String PLUGIN_FILE = "auth_ed25519.so";
    static final Path DEBIAN_PLUGIN_DIR = Path.of("/usr/lib/mysql/plugin");

    private Ed25519ServerPlugin() {
    }

    public static boolean required() {
        return System.getenv(REQUIRED_ENV) != null;
    }

    /**
     * Server options that load the plugin, for {@link EmbeddedMariaDb.Builder#serverOption(String...)}.
     *
     * @throws EmbeddedDatabaseException saying why the plugin could not be had
     */
    public static String[] serverOptions() {
        return new String[]{"--plugin-dir=" + directory(), "--plugin-load-add=auth_ed25519"};
    }

    static Path directory() {
        if (Files.isRegularFile(DEBIAN_PLUGIN_DIR.resolve(PLUGIN_FILE))) {
            return DEBIAN_PLUGIN_DIR;
        }
        return LocalCache.directory("mariadb-debian-" + PLUGIN_FILE, Ed25519ServerPlugin::download);
    }

    private static void download(Path target) throws IOException {
        Path work = Files.createDirectory(target.resolve("download"));
        Path log = target.resolve("download.log");
        // apt-get download writes into the working directory and has no option to choose another
        try {
            ServerProcess.runToCompletion("Downloading Debian's " + PACKAGE + " package (for " + PLUGIN_FILE + ")",
                    List.of("sh", "-c", "cd \"$1\" && exec apt-get download " + PACKAGE, "sh", work.toString()),
                    log, Duration.ofMinutes(5));
        } catch (EmbeddedDatabaseException e) {
            if (e.getMessage().contains("Unable to locate package")) {
                throw new EmbeddedDatabaseException("apt knows no package " + PACKAGE
                        + "; its package lists are missing or stale, run `apt-get update`. " + e.getMessage(), e);
            }
            throw e;
        }
        Path deb;
        try (Stream<Path> files = Files.list(work)) {
            deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> ServerProcess.failure("apt-get download left no .deb in " + work, log));
        }
        Path unpacked = work.resolve("unpacked");
        ServerProcess.runToCompletion("Unpacking " + deb.getFileName(),
                List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()), log, Duration.ofMinutes(2));
        Path plugin = unpacked.resolve(DEBIAN_PLUGIN_DIR.toString().substring(1)).resolve(PLUGIN_FILE);
        if (!Files.isRegularFile(plugin)) {
            throw new IOException(deb.getFileName() + " holds no " + DEBIAN_PLUGIN_DIR.resolve(PLUGIN_FILE));
        }
        Files.copy(plugin, target.resolve(PLUGIN_FILE));
        LocalCache.deleteRecursively(work);
    }
}
