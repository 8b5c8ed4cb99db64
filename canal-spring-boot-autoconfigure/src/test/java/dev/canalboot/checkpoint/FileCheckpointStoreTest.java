package dev.canalboot.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCheckpointStoreTest extends CheckpointStoreContract {

    @TempDir
    Path dir;

    @Override
    protected CheckpointStore store() {
        return new FileCheckpointStore(dir);
    }

    @Test
    void savesAndLoadsFilePositionAndGtidSet() {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint cp = new Checkpoint("orders", "binlog.000042", 123456789L,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:9", now);
        store.save(cp);

        assertThat(store.load("orders")).contains(cp);
        assertThat(store.load("other")).isEmpty();
    }

    @Test
    void savesAndLoadsSnapshotProgressWithThePosition() {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint running = new Checkpoint("orders", "binlog.000042", 77, null, now, null, null,
                "v1;tables=shop.orders,shop.lines;key=42,_utf8mb4+X%2761%27;rows=1024");
        store.save(running);
        assertThat(store.load("orders")).contains(running);

        Checkpoint done = new Checkpoint("orders", "binlog.000042", 99, null, now);
        store.save(done);
        assertThat(store.load("orders").orElseThrow().snapshot()).isNull();
    }

    @Test
    void laterSaveReplacesEarlierAndLeavesNoTemporaryFile() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        store.save(new Checkpoint("s", "mysql-bin.000001", 4, null, now));
        Checkpoint second = new Checkpoint("s", "mysql-bin.000002", 1999, "0-1-42", now.plusSeconds(1));
        store.save(second);

        assertThat(store.load("s")).contains(second);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(store.fileOf("s").getFileName().toString());
        }
    }

    @Test
    void theSchemaHistoryIsAFileOfItsOwnWrittenOnlyWhenItChanges() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        String history = "{\"v\":2,\"tables\":[]}";
        store.save(new Checkpoint("s", "binlog.000001", 4, null, now, null, history));
        Path historyFile;
        try (var files = Files.list(dir)) {
            historyFile = files.filter(p -> p.getFileName().toString().startsWith("s.history-")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(store.fileOf("s"))).contains("schema-history-file=" + historyFile.getFileName())
                .doesNotContain("\"tables\"");
        Files.setLastModifiedTime(historyFile, java.nio.file.attribute.FileTime.fromMillis(0));

        store.save(new Checkpoint("s", "binlog.000001", 500, null, now, null, new String(history)));
        assertThat(Files.getLastModifiedTime(historyFile).toMillis()).as("the same history is not written again").isZero();
        assertThat(new FileCheckpointStore(dir).load("s").orElseThrow().schemaHistory()).isEqualTo(history);

        String changed = "{\"v\":2,\"tables\":[[\"db\",\"t\"]]}";
        FileCheckpointStore restarted = new FileCheckpointStore(dir);
        restarted.load("s");
        restarted.save(new Checkpoint("s", "binlog.000001", 900, null, now, null, changed));
        assertThat(restarted.load("s").orElseThrow().schemaHistory()).isEqualTo(changed);
        assertThat(historyFile).as("the history no checkpoint names any more").doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).noneMatch(n -> n.endsWith(".tmp"));
        }

        // A checkpoint of the older form, with the history inline, still loads.
        Files.writeString(dir.resolve("old.checkpoint"), "source=old\nfile=binlog.000001\nposition=4\n"
                + "saved-at=" + now + "\nschema-history=" + history.replace(":", "\\:") + "\n");
        assertThat(store.load("old").orElseThrow().schemaHistory()).isEqualTo(history);

        // A missing history file is an error naming it and the way out.
        Files.delete(dir.resolve(Files.readString(store.fileOf("s")).lines()
                .filter(l -> l.startsWith("schema-history-file=")).findFirst().orElseThrow().substring(20)));
        assertThatThrownBy(() -> new FileCheckpointStore(dir).load("s")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("s.history-").hasMessageContaining("delete the checkpoint");

        store.delete("s");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("old.checkpoint");
        }
    }

    @Test
    void sourcesWithUnsafeNamesGetDistinctFiles() {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint a = new Checkpoint("shop/a", "f", 4, null, now);
        Checkpoint b = new Checkpoint("shop_a", "g", 5, null, now);
        store.save(a);
        store.save(b);

        assertThat(store.fileOf("shop/a").getParent()).isEqualTo(dir.toAbsolutePath());
        assertThat(store.load("shop/a")).contains(a);
        assertThat(store.load("shop_a")).contains(b);
    }

    @Test
    void deleteForgetsTheCheckpoint() {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        store.save(new Checkpoint("s", "f", 4, null, now));
        store.delete("s");
        store.delete("never-saved");

        assertThat(store.load("s")).isEmpty();
    }

    @Test
    void corruptFileIsAClearError() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Files.writeString(store.fileOf("s"), "source=s\nposition=not-a-number\nsaved-at=" + now + "\n");

        assertThatThrownBy(() -> store.load("s"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(store.fileOf("s").toString())
                .hasMessageContaining("cannot be parsed")
                .hasMessageContaining("Delete it");
    }

    @Test
    void fileThatIsNotACheckpointSaysItCannotBeParsedWhereAndWhatToDo() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Files.writeString(store.fileOf("orders"), "{\"file\": \"binlog.000001\", \"position\": 4}\n");
        Files.writeString(store.fileOf("empty"), "");
        Files.write(store.fileOf("binary"), new byte[]{0x1f, (byte) 0x8b, 0x08, 0, (byte) 0xff, 0x45, 0x4c, 0x46});

        assertThatThrownBy(() -> store.load("orders"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("Checkpoint file " + store.fileOf("orders") + " of source 'orders' cannot be parsed")
                .hasMessageContaining("no 'source' line")
                .hasMessageContaining("Delete it to start the source from its configured start")
                .hasMessageNotContaining("null");
        assertThatThrownBy(() -> store.load("empty"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(store.fileOf("empty").toString())
                .hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> store.load("binary"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(store.fileOf("binary") + " of source 'binary' cannot be parsed (it is not UTF-8 text)");
    }

    @Test
    void savesAndLoadsTheServerAndLoadsOldFilesWithoutIt() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint mysql = new Checkpoint("m", "binlog.000003", 1934, null, now,
                ServerIdentity.mysql("3e11fa47-71ca-11e1-9e33-c80aa9429562", 7));
        Checkpoint mariaDb = new Checkpoint("a", "mariadb-bin.000001", 4, "0-1-42", now, ServerIdentity.mariaDb(1, 0));
        store.save(mysql);
        store.save(mariaDb);
        assertThat(store.load("m")).contains(mysql);
        assertThat(store.load("a")).contains(mariaDb);
        assertThat(Files.readString(store.fileOf("m"))).contains("server-uuid=3e11fa47-71ca-11e1-9e33-c80aa9429562")
                .contains("server-id=7");

        // as written before the server was recorded
        Files.writeString(store.fileOf("old"), "source=old\nfile=binlog.000001\nposition=1934\ngtid-set=\nsaved-at="
                + now + "\n");
        assertThat(store.load("old")).contains(new Checkpoint("old", "binlog.000001", 1934, null, now));
        assertThat(store.load("old").orElseThrow().server()).isNull();
    }

    @Test
    void fileOfAnotherSourceIsRejected() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        store.save(new Checkpoint("a", "f", 4, null, now));
        Files.copy(store.fileOf("a"), store.fileOf("b"));

        assertThatThrownBy(() -> store.load("b"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("belongs to source 'a'");
    }

    @Test
    void unusableDirectoryFailsAtConstructionNamingIt() throws Exception {
        // A regular file where the directory should be: cannot be created or written, even as root.
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> new FileCheckpointStore(notADir.resolve("checkpoints")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(notADir.resolve("checkpoints").toString())
                .hasMessageContaining("canal.checkpoint.file.directory");
        assertThatThrownBy(() -> new FileCheckpointStore(notADir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a writable directory");
    }

    @Test
    void checkpointNeedsAFileOrAGtidSet() {
        assertThatThrownBy(() -> new Checkpoint("s", null, -1, " ", now))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'s'");
    }
}
