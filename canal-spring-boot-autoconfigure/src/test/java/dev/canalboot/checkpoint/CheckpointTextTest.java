package dev.canalboot.checkpoint;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The properties text of a checkpoint, as the file and ZooKeeper stores write and read it. */
class CheckpointTextTest {

    private static final Instant SAVED = Instant.parse("2026-01-02T03:04:05.123Z");

    /** Names the problem as a store would, so the tests see which of the two was raised. */
    private static final CheckpointText.Problems PROBLEMS = new CheckpointText.Problems() {
        @Override
        public CheckpointException unparsable(String why, Throwable cause) {
            return new CheckpointException("unparsable: " + why, cause);
        }

        @Override
        public CheckpointException otherSource(String savedSource) {
            return new CheckpointException("other source: " + savedSource);
        }
    };

    private static CheckpointText.Stored read(String text) {
        return CheckpointText.read(text, "orders", "the file", PROBLEMS);
    }

    @Test
    void aFullCheckpointComesBackAsItWasWritten() {
        Checkpoint written = new Checkpoint("orders", "binlog.000007", 4711, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
                SAVED, new ServerIdentity("3e11fa47-71ca-11e1-9e33-c80aa9429562", 42, 7L), null, "{\"table\":\"t\"}");

        String text = CheckpointText.render(written, "");
        Checkpoint read = read(text).checkpoint();

        assertThat(read).isEqualTo(written);
        assertThat(text).contains("position=4711\n", "server-id=42\n", "gtid-domain-id=7\n",
                "saved-at=2026-01-02T03:04:05.123Z\n");
    }

    @Test
    void absentValuesAreWrittenEmptyAndReadAsNull() {
        Checkpoint written = new Checkpoint("orders", "binlog.000001", 4, null, SAVED,
                new ServerIdentity(null, 1, null));

        String text = CheckpointText.render(written, "");
        Checkpoint read = read(text).checkpoint();

        assertThat(text).contains("gtid-set=\n", "server-uuid=\n", "gtid-domain-id=\n").doesNotContain("snapshot");
        assertThat(read.gtidSet()).isNull();
        assertThat(read.server()).isEqualTo(new ServerIdentity(null, 1, null));
        assertThat(read.snapshot()).isNull();
        assertThat(read.schemaHistory()).isNull();
    }

    @Test
    void aTextWithoutServerLinesAsOlderStoresWroteHasNoServer() {
        Checkpoint read = read("source=orders\nfile=binlog.000002\nposition=120\nsaved-at=" + SAVED + "\n").checkpoint();

        assertThat(read.server()).isNull();
        assertThat(read.file()).isEqualTo("binlog.000002");
        assertThat(read.position()).isEqualTo(120);
    }

    @Test
    void valuesWithPropertiesSyntaxInThemSurviveTheRoundTrip() {
        String awkward = "a=b:c#d!e\\f\nline two\r";
        Checkpoint written = new Checkpoint("orders", "bin:log=#1", 4, null, SAVED, null, null, awkward);

        Checkpoint read = read(CheckpointText.render(written, "")).checkpoint();

        assertThat(read.file()).isEqualTo("bin:log=#1");
        assertThat(read.snapshot()).isEqualTo(awkward);
        assertThat(CheckpointText.escape("a=b:c#d!e\\f\n\r")).isEqualTo("a\\=b\\:c\\#d\\!e\\\\f\\n\\r");
    }

    @Test
    void theTailFollowsTheCheckpointLinesAndAnAbsentLineIsLeftOut() {
        String tail = CheckpointText.line("the history node", "schema-history-node", "h=1")
                + CheckpointText.line("absent", "epoch", null);
        String text = CheckpointText.render(new Checkpoint("orders", "binlog.000001", 4, null, SAVED), tail);

        assertThat(text).endsWith("# the history node\nschema-history-node=h\\=1\n");
        assertThat(text).doesNotContain("epoch");
        assertThat(read(text).lines().getProperty("schema-history-node")).isEqualTo("h=1");
    }

    @Test
    void theHistoryGivenOverridesAnInlineOneWhichIsReadOtherwise() {
        Properties p = CheckpointText.parse("source=orders\nfile=b.1\nposition=4\nsaved-at=" + SAVED
                + "\nschema-history=inline\n");

        assertThat(CheckpointText.checkpoint("orders", p, null).schemaHistory()).isEqualTo("inline");
        assertThat(CheckpointText.checkpoint("orders", p, "stored apart").schemaHistory()).isEqualTo("stored apart");
    }

    @Test
    void anEmptyTextSaysItsContainerIsEmpty() {
        assertThatThrownBy(() -> read("  \n")).isInstanceOf(CheckpointException.class)
                .hasMessage("unparsable: the file is empty");
    }

    @Test
    void aMissingRequiredLineIsNamed() {
        assertThatThrownBy(() -> read("source=orders\nposition=4\n")).hasMessage("unparsable: it has no 'saved-at' line");
        assertThatThrownBy(() -> read("source=orders\nsaved-at=" + SAVED + "\n"))
                .hasMessage("unparsable: it has no 'position' line");
        assertThat(CheckpointText.missing(CheckpointText.parse("source=x\nposition=1\nsaved-at=y\n"))).isNull();
    }

    @Test
    void aCheckpointOfAnotherSourceIsRefusedNamingThatSource() {
        assertThatThrownBy(() -> read("source=customers\nfile=b.1\nposition=4\nsaved-at=" + SAVED + "\n"))
                .hasMessage("other source: customers");
    }

    @Test
    void aValueThatDoesNotParseIsUnparsableWithItsCause() {
        assertThatThrownBy(() -> read("source=orders\nfile=b.1\nposition=four\nsaved-at=" + SAVED + "\n"))
                .hasMessageStartingWith("unparsable: ").hasMessageContaining("four")
                .hasCauseInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> read("source=orders\nfile=b.1\nposition=4\nsaved-at=yesterday\n"))
                .hasMessageContaining("yesterday");
        // Neither a file nor a GTID set: the checkpoint itself refuses it
        assertThatThrownBy(() -> read("source=orders\nfile=\nposition=4\nsaved-at=" + SAVED + "\n"))
                .hasMessageContaining("needs a binlog file or a GTID set");
    }

    @Test
    void aBrokenEscapeIsUnparsable() {
        assertThatThrownBy(() -> read("source=orders\\u12")).hasMessageStartingWith("unparsable: ")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHashOfAHistoryIsShortAndDependsOnlyOnItsContent() {
        String hash = CheckpointText.hash("[{\"table\":\"orders\"}]");

        assertThat(hash).matches("[0-9a-f]{24}");
        assertThat(CheckpointText.hash("[{\"table\":\"orders\"}]")).isEqualTo(hash);
        assertThat(CheckpointText.hash("[{\"table\":\"order\"}]")).isNotEqualTo(hash);
    }

    @Test
    void emptyIsNull() {
        assertThat(CheckpointText.emptyToNull("")).isNull();
        assertThat(CheckpointText.emptyToNull(null)).isNull();
        assertThat(CheckpointText.emptyToNull(" ")).isEqualTo(" ");
    }
}
