package dev.canalboot.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The newest MySQL our package registries carry: Debian unstable's {@code mysql-server-core} (9.7 when
 * written; MySQL 8.4 and later drop {@code SHOW MASTER STATUS} and the replica-side "master" names). No
 * Maven artifact ships an 8.4+ server, and Debian's stable releases ship none at all.
 *
 * <p>Fetched once per machine with the host's {@code apt-get}, from the Debian archive the host's apt
 * configuration already uses but with a source list and state of its own in a scratch directory (the
 * host's apt state is not changed), then unpacked with {@code dpkg-deb -x} together with its libraries
 * into the local cache. Needs a Debian host with the Debian archive keyring.
 */
public final class DebianMySqlPackages {

    static final String SUITE = "sid";
    static final String PACKAGE = "mysql-server-core";
    static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

    private DebianMySqlPackages() {
    }

    public static MySqlDistribution distribution() {
        return MySqlDistribution.debianPackages(unpacked().resolve("root"));
    }

    static Path unpacked() {
        return LocalCache.directory("mysql-debian-" + SUITE, DebianMySqlPackages::fetchAndUnpack);
    }

    private static void fetchAndUnpack(Path target) throws IOException {
        for (Path tool : List.of(Path.of("/usr/bin/apt-get"), Path.of("/usr/bin/dpkg-deb"), KEYRING)) {
            if (!Files.exists(tool)) {
                throw new EmbeddedDatabaseException("Cannot fetch MySQL from Debian: " + tool
                        + " is missing (a Debian-family host is needed)");
            }
        }
        Path log = target.resolve("fetch.log");
        Duration timeout = Duration.ofMinutes(10);
        String archive = hostDebianArchive(target.resolve("archive.txt"), timeout);
        Path apt = target.resolve("apt");
        Path archives = apt.resolve("archives");
        for (Path directory : List.of(apt.resolve("lists/partial"), archives.resolve("partial"),
                apt.resolve("sources.list.d"), apt.resolve("preferences.d"))) {
            Files.createDirectories(directory);
        }
        Files.writeString(apt.resolve("sources.list"),
                "deb [signed-by=" + KEYRING + "] " + archive + " " + SUITE + " main\n");
        // Nothing counts as installed, so the download holds the package and every library it needs
        Files.writeString(apt.resolve("status"), "");
        List<String> aptGet = List.of("apt-get", "-q",
                "-o", "Dir::Etc::SourceList=" + apt.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + apt.resolve("sources.list.d"),
                "-o", "Dir::Etc::Preferences=" + apt.resolve("preferences"),
                "-o", "Dir::Etc::PreferencesParts=" + apt.resolve("preferences.d"),
                "-o", "Dir::State::Lists=" + apt.resolve("lists"),
                "-o", "Dir::State::Status=" + apt.resolve("status"),
                "-o", "Dir::Cache=" + apt.resolve("cache"),
                "-o", "Dir::Cache::Archives=" + archives,
                "-o", "APT::Install-Recommends=false",
                // Private state directories: no lock on the host's package database is needed
                "-o", "Debug::NoLocking=true");
        ServerProcess.runToCompletion("Reading the Debian " + SUITE + " package index", concat(aptGet, "update"),
                log, timeout);
        ServerProcess.runToCompletion("Downloading Debian " + SUITE + " " + PACKAGE + " and its libraries",
                concat(aptGet, "-y", "--download-only", "install", PACKAGE), log, timeout);
        List<Path> packages;
        try (Stream<Path> files = Files.list(archives)) {
            packages = files.filter(file -> file.toString().endsWith(".deb")).sorted().toList();
        }
        if (packages.stream().noneMatch(deb -> deb.getFileName().toString().startsWith(PACKAGE + "_"))) {
            throw ServerProcess.failure("apt-get downloaded no " + PACKAGE + " package into " + archives, log);
        }
        Path root = target.resolve("root");
        for (Path deb : packages) {
            ServerProcess.runToCompletion("Unpacking " + deb.getFileName(),
                    List.of("dpkg-deb", "-x", deb.toString(), root.toString()), log, timeout);
        }
        // What was unpacked, for whoever wonders which build a test ran against
        Files.write(target.resolve("packages.txt"), packages.stream().map(deb -> deb.getFileName().toString()).toList());
        LocalCache.deleteRecursively(apt);
        MySqlDistribution.debianPackages(root).version();
    }

    /** The archive of the host's Debian release, as its apt configuration names it. */
    private static String hostDebianArchive(Path output, Duration timeout) throws IOException {
        ServerProcess.runToCompletion("Asking apt which Debian archive this host uses",
                List.of("apt-get", "indextargets", "--format", "$(REPO_URI)", "Label: Debian", "Identifier: Packages"),
                output, timeout);
        return Files.readAllLines(output).stream().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                .orElseThrow(() -> new EmbeddedDatabaseException("Cannot fetch MySQL from Debian: the host's apt"
                        + " configuration has no Debian archive with a downloaded index (run apt-get update)"));
    }

    private static List<String> concat(List<String> command, String... arguments) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(arguments));
        return all;
    }
}
