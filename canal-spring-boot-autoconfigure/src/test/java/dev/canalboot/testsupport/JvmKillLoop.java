package dev.canalboot.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 loop over a group of JVMs that run at the same time (consumers of one Kafka group, or a single relaying
 * JVM): all are started, and once every one printed {@code READY} the writer runs in the background; then, a few
 * times, a random instance is killed with SIGKILL at a random moment after it was ready and started again at once.
 * When the writer is done (it may write until the last kill, see {@link Writer}) the instances keep running until
 * the probe says everything arrived. Kills are timed from
 * readiness, not from progress, so they also fall while a JVM is starting, joining a group or catching up.
 */
public final class JvmKillLoop {

    /** Starts launch number {@code launch} of instance {@code instance}, its output going to {@code output}. */
    @FunctionalInterface
    public interface Launcher {
        Process launch(int instance, int launch, Path output) throws Exception;
    }

    /**
     * Writes while the loop kills: {@code killing} says whether kills are still to come, so a writer can keep going
     * until the last kill is dealt (every kill then falls while it writes) and end with a tail after it.
     */
    @FunctionalInterface
    public interface Writer {
        void write(BooleanSupplier killing) throws Exception;
    }

    /** Whether everything the writer wrote has arrived. */
    @FunctionalInterface
    public interface Probe {
        boolean done() throws Exception;
    }

    /** What the loop did: kills, kills that fell while the writer ran, launches (the outputs, in launch order). */
    public record Outcome(int kills, int killsWhileWriting, List<Path> outputs) {
    }

    private JvmKillLoop() {
    }

    /**
     * @param kills         SIGKILLs to deal out
     * @param maxKillDelay  longest random wait after an instance is ready before it is killed
     * @param deadline      how long everything may take, from the first launch
     */
    public static Outcome run(Path work, int instances, int kills, Duration maxKillDelay, Duration deadline,
                              Launcher launcher, Writer writer, Probe probe) throws Exception {
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        long guard = System.nanoTime() + deadline.toNanos();
        List<Process> running = new ArrayList<>();
        List<Path> current = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        int[] launches = new int[instances];
        CompletableFuture<Void> writing = null;
        AtomicInteger killed = new AtomicInteger();
        int killsWhileWriting = 0;
        try {
            for (int i = 0; i < instances; i++) {
                Path output = work.resolve("jvm-" + i + "-" + launches[i] + ".out");
                running.add(launcher.launch(i, launches[i]++, output));
                current.add(output);
                outputs.add(output);
            }
            for (int i = 0; i < instances; i++) {
                awaitReady(running.get(i), current.get(i), guard);
            }
            writing = CompletableFuture.runAsync(() -> {
                try {
                    writer.write(() -> killed.get() < kills);
                } catch (Exception e) {
                    throw new IllegalStateException("writer failed", e);
                }
            });
            while (killed.get() < kills) {
                int victim = random.nextInt(instances);
                awaitReady(running.get(victim), current.get(victim), guard);
                Thread.sleep(random.nextLong(maxKillDelay.toMillis() + 1));
                killsWhileWriting += writing.isDone() ? 0 : 1;
                running.get(victim).destroyForcibly().waitFor();
                killed.incrementAndGet();
                Path output = work.resolve("jvm-" + victim + "-" + launches[victim] + ".out");
                running.set(victim, launcher.launch(victim, launches[victim]++, output));
                current.set(victim, output);
                outputs.add(output);
            }
            writing.get(Math.max(1, guard - System.nanoTime()), TimeUnit.NANOSECONDS);
            while (!probe.done()) {
                for (int i = 0; i < instances; i++) {
                    assertThat(running.get(i).isAlive()).as("instance %d alive; output:%n%s", i,
                            Files.readString(current.get(i))).isTrue();
                }
                assertThat(System.nanoTime()).as("everything arrived within %s; outputs now:%n%s", deadline,
                        current.stream().map(JvmKillLoop::tail).toList()).isLessThan(guard);
                Thread.sleep(200);
            }
        } finally {
            if (writing != null) {
                writing.cancel(true);
            }
            for (Process process : running) {
                process.destroyForcibly().waitFor();
            }
        }
        return new Outcome(killed.get(), killsWhileWriting, outputs);
    }

    private static void awaitReady(Process process, Path output, long guard) throws Exception {
        while (!Files.exists(output) || !Files.readString(output).contains("READY")) {
            assertThat(process.isAlive()).as("JVM alive while starting; output:%n%s",
                    Files.exists(output) ? Files.readString(output) : "").isTrue();
            assertThat(System.nanoTime()).as("JVM ready in time; output:%n%s", Files.exists(output)
                    ? Files.readString(output) : "").isLessThan(guard);
            Thread.sleep(20);
        }
    }

    private static String tail(Path output) {
        try {
            String text = Files.readString(output);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** A JVM running {@code mainClass} with the test class path. */
    public static Process java(Path output, Class<?> mainClass, String... args) throws Exception {
        return CrashLoop.java(output, mainClass, args);
    }
}
