package dev.canalboot.bench.jvm;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.workload.GeneratedBinlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The parent's handle on one {@link ContenderJvm}: starts it, sends it {@code run} commands, reads its reports. */
public final class ChildJvm implements AutoCloseable {

    private static final String END_OF_OUTPUT = "\u0000end";

    private final String contenderId;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();

    private ChildJvm(String contenderId, Process process) {
        this.contenderId = contenderId;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "child-" + contenderId);
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildJvm start(String contenderId, BenchServer server, GeneratedBinlog binlog, long firstServerId,
                          List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", ChildClassPath.of(contenderId), ContenderJvm.class.getName(), contenderId,
                server.flavor().name(), server.host(), Integer.toString(server.port()), server.user(), server.password(),
                binlog.workload().name(), Long.toString(binlog.rows()), binlog.start().file(),
                Long.toString(binlog.start().position()), binlog.end().file(), Long.toString(binlog.end().position()),
                Long.toString(firstServerId)));
        ChildJvm child = new ChildJvm(contenderId, new ProcessBuilder(command).redirectErrorStream(true).start());
        String ready = child.next(Duration.ofMinutes(2));
        if (!"READY".equals(ready)) {
            child.close();
            throw new IOException("The child JVM of " + contenderId + " did not start: " + child.tail());
        }
        return child;
    }

    /** Asks for at least {@code minRows} rows (the binlog read as often as it takes); {@code csv} may be null. */
    public RunReport run(long minRows, Path csv, Duration timeout) {
        try {
            commands.write("run " + minRows + " " + (csv == null ? "-" : csv.toAbsolutePath()) + "\n");
            commands.flush();
            String line = next(timeout);
            if (line == null) {
                return RunReport.failed("no report from the child JVM of " + contenderId + " within " + timeout
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + ": " + tail());
            }
            return line.startsWith(RunReport.PREFIX) ? RunReport.parse(line)
                    : RunReport.failed(line.substring("FAILED ".length()) + " / " + tail());
        } catch (IOException e) {
            return RunReport.failed("the child JVM of " + contenderId + " is gone (" + e.getMessage() + "): " + tail());
        }
    }

    private String next(Duration timeout) {
        try {
            String line = reports.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return END_OF_OUTPUT.equals(line) ? null : line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("READY") || line.startsWith(RunReport.PREFIX) || line.startsWith("FAILED ")) {
                    reports.add(line);
                } else {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 30) {
                            tail.removeFirst();
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone; next() reports what it printed last
        }
        reports.add(END_OF_OUTPUT);
    }

    /** The child's last lines of output other than reports (its log and stack traces). */
    String tail() {
        synchronized (tail) {
            return tail.isEmpty() ? "(no output)" : String.join(" / ", tail);
        }
    }

    @Override
    public void close() {
        try {
            commands.write("exit\n");
            commands.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
