package dev.canalboot.binlog;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.LargeTransactionMain;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction of one million rows streams through a source in a JVM whose heap (64 MiB) could not hold
 * its decoded rows: reading pauses while the queue is full. The consumer starts only after the commit.
 */
class LargeTransactionSmallHeapIT {

    static final int ROWS = 1_000_000;

    @Test
    void oneMillionRowTransactionWithA64MiBHeap() throws Exception {
        EmbeddedMySql server = TestServers.mysql();
        DatabaseUser user = server.users().get(0);
        Path output = Files.createTempFile("large-transaction", ".log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:MaxDirectMemorySize=64m", "-cp", System.getProperty("java.class.path"),
                LargeTransactionMain.class.getName(), server.host(), String.valueOf(server.port()), user.name(),
                user.password(), server.rootPassword(), String.valueOf(ROWS)))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(9, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String log = Files.readString(output);
        assertThat(finished).as("child JVM finished; output:%n%s", log).isTrue();
        assertThat(process.exitValue()).as("exit code; output:%n%s", log).isZero();
        assertThat(log).contains(" rows=" + ROWS + " lastId=" + ROWS);
        String result = log.lines().filter(l -> l.startsWith("bytesAtStall=")).findFirst().orElseThrow();
        long stalled = Long.parseLong(result.replaceAll("bytesAtStall=(\\d+) .*", "$1"));
        long total = Long.parseLong(result.replaceAll(".*bytesRead=(\\d+).*", "$1"));
        // Reading paused long before the end of the transaction's binlog.
        assertThat(stalled).as(result).isLessThan(total / 10);
        System.out.println(result);
    }
}
