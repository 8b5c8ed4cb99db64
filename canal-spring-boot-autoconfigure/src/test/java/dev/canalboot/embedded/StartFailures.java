package dev.canalboot.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks what a failed server start leaves behind: the log it names, nothing else. */
final class StartFailures {

    private StartFailures() {
    }

    /** Asserts the failure names a kept log and that only that log is left, then deletes it. */
    static void assertOnlyTheLogIsKeptAndCleanUp(Throwable failure) throws IOException {
        Matcher logPath = Pattern.compile("Log (\\S+) ends with").matcher(failure.getMessage());
        assertThat(logPath.find()).as("log path in: %s", failure.getMessage()).isTrue();
        Path log = Path.of(logPath.group(1));
        Path instanceDirectory = log.getParent().getParent();
        assertThat(log).exists();
        try (Stream<Path> left = Files.walk(instanceDirectory)) {
            assertThat(left.filter(Files::isRegularFile)).containsExactly(log);
        }
        LocalCache.deleteRecursively(instanceDirectory);
    }
}
