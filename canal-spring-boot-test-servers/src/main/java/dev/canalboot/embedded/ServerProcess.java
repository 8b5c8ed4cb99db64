package dev.canalboot.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server (or set-up tool) process: output to a log file, readiness by TCP port, stop by killing
 * the whole process tree. Failures carry the tail of the log, since that is where the server says why.
 */
final class ServerProcess {

    static final String LIBAIO_MISSING = "libaio1 is missing, install it with `apt-get install -y libaio1`";

    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServerProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Runs a set-up command (e.g. data directory initialization) to completion. */
    static void runToCompletion(String what, List<String> command, Path logFile, Duration timeout) {
        Process process = launch(what, command, logFile);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw failure(what + " did not finish within " + timeout, logFile);
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException(what + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw failure(what + " failed with exit code " + process.exitValue(), logFile);
        }
    }

    /** Starts a server and returns once it accepts TCP connections on {@code port}. */
    static ServerProcess startServer(String what, List<String> command, Path logFile, int port, Duration timeout) {
        ServerProcess server = new ServerProcess(what, launch(what, command, logFile), logFile);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!server.acceptsConnections(port)) {
                if (!server.process.isAlive()) {
                    throw failure(what + " exited with code " + server.process.exitValue() + " during start-up",
                            logFile);
                }
                if (System.nanoTime() > deadline) {
                    server.stop();
                    throw failure(what + " did not accept connections on port " + port + " within " + timeout,
                            logFile);
                }
                Thread.sleep(50);
            }
            return server;
        } catch (InterruptedException e) {
            server.stop();
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException(what + " start-up was interrupted", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Asks the server to shut down (SIGTERM) and waits; kills it if it does not within a minute. */
    void shutDown() {
        process.destroy();
        try {
            if (process.waitFor(1, TimeUnit.MINUTES)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process);
            throw new EmbeddedDatabaseException("Interrupted while waiting for " + this + " to shut down", e);
        }
        killTree(process);
        throw failure(this + " did not shut down within a minute of SIGTERM and was killed", logFile);
    }

    /** Kills the process and its children and waits until they are gone. */
    void stop() {
        killTree(process);
    }

    /**
     * Ready means the server sent its handshake greeting (protocol version 10): mysqld can accept TCP
     * connections on a socket it is about to abandon, when it aborts after binding the port.
     */
    private boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            byte[] header = socket.getInputStream().readNBytes(5);
            return header.length == 5 && header[4] == 10;
        } catch (IOException e) {
            return false;
        }
    }

    private static Process launch(String what, List<String> command, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Could not launch " + what + " (" + command.get(0) + "): "
                    + e.getMessage(), e);
        }
    }

    private static void killTree(Process process) {
        // Data directories are thrown away, so there is nothing a graceful shutdown would save
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException("Interrupted while waiting for process " + process.pid() + " to exit", e);
        } catch (Exception e) {
            throw new EmbeddedDatabaseException("Process " + process.pid() + " did not exit after being killed", e);
        }
    }

    static EmbeddedDatabaseException failure(String message, Path logFile) {
        String tail = logTail(logFile);
        String hint = tail.contains("libaio.so.1") ? LIBAIO_MISSING + ". " : "";
        return new EmbeddedDatabaseException(hint + message + ". Log " + logFile + " ends with:\n" + tail);
    }

    static String logTail(Path logFile) {
        if (!Files.exists(logFile)) {
            return "(no log written)";
        }
        try {
            // Lenient decoding: a log may hold bytes that are not UTF-8
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port", e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
