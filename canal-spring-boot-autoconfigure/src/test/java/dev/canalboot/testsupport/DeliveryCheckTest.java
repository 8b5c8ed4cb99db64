package dev.canalboot.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The crash tests' oracle must catch what it is there to catch. Transactions here: t holds t rows (1, 2, 3). */
class DeliveryCheckTest {

    @TempDir
    Path dir;

    DeliveryCheck.Result check(String log) throws Exception {
        Path file = dir.resolve("log");
        Files.writeString(file, log);
        return DeliveryCheck.check(file, 3, t -> t);
    }

    @Test
    void aCompleteRunWithARedeliveredTransactionAfterAKillPasses() throws Exception {
        DeliveryCheck.Result result = check("\nRUN\n100 g1 ;\n200 g2 ;\n201 g2 ;\n300 g3 ;\n30"
                + "\nRUN\n300 g3 ;\n301 g3 ;\n302 g3 ;\n");
        assertThat(result.problems()).isEmpty();
        assertThat(result.runs()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
    }

    @Test
    void aMissingRowIsReported() throws Exception {
        assertThat(check("\nRUN\n100 g1 ;\n200 g2 ;\n201 g2 ;\n").problems())
                .anyMatch(p -> p.contains("row 300 of transaction 3 was never delivered"));
    }

    @Test
    void aResumeInsideATransactionIsReported() throws Exception {
        assertThat(check("\nRUN\n100 g1 ;\n200 g2 ;\n201 g2 ;\n300 g3 ;\n\nRUN\n301 g3 ;\n302 g3 ;\n").problems())
                .anyMatch(p -> p.contains("resume inside a transaction"));
    }

    @Test
    void aTransactionCutShortInsideARunIsReported() throws Exception {
        assertThat(check("\nRUN\n100 g1 ;\n200 g2 ;\n300 g3 ;\n301 g3 ;\n302 g3 ;\n").problems())
                .anyMatch(p -> p.contains("transaction 2 delivered 1 of 2 rows"));
    }

    @Test
    void oneTransactionUnderTwoIdsAndATornLineInTheMiddleAreReported() throws Exception {
        assertThat(check("\nRUN\n100 g1 ;\n200 g2 ;\n20\n201 g2 ;\n300 g3 ;\n301 g3 ;\n302 gX ;\n").problems())
                .anyMatch(p -> p.contains("torn line"))
                .anyMatch(p -> p.contains("transaction 3 came as g3 and as gX"));
    }
}
