package dev.canalboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose checkpoint file is damaged does not start, and says that the file cannot be parsed, where it
 * is and what to do (it used to say "belongs to source 'null'").
 */
class CorruptCheckpointStartupTest {

    @TempDir
    Path checkpoints;

    @Test
    void aDamagedCheckpointFileFailsStartUpNamingTheFileAndTheWayOut() throws Exception {
        Path file = checkpoints.resolve("default.checkpoint");
        Files.write(file, new byte[]{'\n', 'p', 'o', 's', 0, 0, 0, 0, '\n'}); // a torn write by another tool
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                .withPropertyValues("canal.checkpoint.file.directory=" + checkpoints, "canal.source.host=127.0.0.1",
                        "canal.source.username=repl", "canal.source.password=secret", "canal.source.auto-startup=false")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Checkpoint file " + file.toAbsolutePath() + " of source 'default' cannot be parsed")
                            .contains("Delete it to start the source from its configured start")
                            .doesNotContain("'null'");
                });
    }
}
