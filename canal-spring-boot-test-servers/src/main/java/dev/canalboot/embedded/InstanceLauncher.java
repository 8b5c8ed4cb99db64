package dev.canalboot.embedded;

import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Starts one server instance: a private copy of an initialized template data directory, a free port,
 * a socket next to the data, optional start-up SQL through the server's {@code --init-file}.
 */
final class InstanceLauncher {

    /** What a server command line is built from. {@code initFile} is null when there is no start-up SQL. */
    record Instance(Path directory, Path dataDirectory, Path socket, int port, @Nullable Path initFile) {
    }

    /** A running instance, with what it takes to launch its server again on the same port and data. */
    record Started(Instance instance, ServerProcess process, Path logFile, String name, List<String> command,
                   Duration timeout) {

        Started relaunch() {
            return new Started(instance, ServerProcess.startServer(name, command, logFile, instance.port(), timeout),
                    logFile, name, command, timeout);
        }
    }

    private static final int PORT_ATTEMPTS = 3;

    private InstanceLauncher() {
    }

    static Started start(String product, Path template, List<String> initSql, Duration timeout,
                         Function<Instance, List<String>> command) {
        Path directory;
        try {
            directory = Files.createTempDirectory("canalboot-" + product.toLowerCase().replaceAll("[^a-z0-9]", "") + "-");
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Could not create a temporary directory for " + product + ": "
                    + e.getMessage(), e);
        }
        Path dataDirectory = directory.resolve("data");
        Path initFile = null;
        try {
            LocalCache.copyRecursively(template, dataDirectory);
            // A copied server UUID would make every instance look like the same server
            Files.deleteIfExists(dataDirectory.resolve("auto.cnf"));
            if (!initSql.isEmpty()) {
                initFile = directory.resolve("init.sql");
                Files.writeString(initFile, sqlScript(initSql), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LocalCache.deleteRecursively(directory);
            throw new EmbeddedDatabaseException("Could not prepare data directory " + dataDirectory + " for " + product
                    + " from template " + template + ": " + e.getMessage(), e);
        }
        Path logFile = dataDirectory.resolve("server.log");
        for (int attempt = 1; ; attempt++) {
            Instance instance = new Instance(directory, dataDirectory, directory.resolve("server.sock"),
                    ServerProcess.freePort(), initFile);
            String name = product + " on port " + instance.port();
            List<String> commandLine = command.apply(instance);
            try {
                ServerProcess process = ServerProcess.startServer(name, commandLine, logFile, instance.port(), timeout);
                return new Started(instance, process, logFile, name, commandLine, timeout);
            } catch (EmbeddedDatabaseException e) {
                // The free port can be taken by someone else between probing and binding
                boolean portTaken = e.getMessage().contains("already in use");
                if (!portTaken || attempt == PORT_ATTEMPTS) {
                    // Keep only the log, for whoever reads the exception; the data can be large
                    LocalCache.deleteRecursivelyExcept(directory, logFile);
                    throw e;
                }
            }
        }
    }

    /** The servers refuse to run as root unless told to explicitly. */
    static List<String> runAsRootOption() {
        return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
    }

    static void requireLinuxX64() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new EmbeddedDatabaseException("Embedded databases need Linux x86-64; this is " + os + " " + arch);
        }
    }

    /** One statement per line: servers read an init file line by line. */
    static String sqlScript(List<String> statements) {
        StringBuilder script = new StringBuilder();
        for (String statement : statements) {
            String trimmed = statement.strip();
            if (trimmed.contains("\n")) {
                throw new IllegalArgumentException("Start-up SQL must be one statement per line, got: " + trimmed);
            }
            script.append(trimmed.endsWith(";") ? trimmed : trimmed + ";").append('\n');
        }
        return script.toString();
    }
}
