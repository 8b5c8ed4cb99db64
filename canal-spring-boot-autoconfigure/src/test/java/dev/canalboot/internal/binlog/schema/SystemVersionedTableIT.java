package dev.canalboot.internal.binlog.schema;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB system-versioned tables: their rows carry hidden row_start/row_end columns that information_schema does
 * not list. Without names in the table map (NO_LOG) the source stops, naming the table, why, and the way out
 * (FULL), which then works; it never decodes them under the listed columns.
 */
class SystemVersionedTableIT {

    @TempDir
    Path checkpoints;

    @Test
    void withoutNamesTheSourceStopsClearlyAndFullMetadataIsTheWayOut() throws Exception {
        EmbeddedDatabase server = TestServers.mariadb();
        String db = "schema_versioned";
        server.execute("SET GLOBAL binlog_row_metadata = NO_LOG");
        try {
            server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".plain (id INT PRIMARY KEY, a VARCHAR(10))");
            FileCheckpointStore store = new FileCheckpointStore(checkpoints);
            BinlogSourceSettings settings = SchemaHistoryResumeIT.settings(server, 7500);
            try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                server.execute("INSERT INTO " + db + ".plain VALUES (0, 'x')");
                SchemaHistoryResumeIT.poll(source, SchemaHistoryResumeIT.rowsOf(1));
            }
            server.execute("CREATE TABLE " + db + ".v (id INT PRIMARY KEY, a VARCHAR(10)) WITH SYSTEM VERSIONING",
                    "INSERT INTO " + db + ".v VALUES (1, 'v1')");
            try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                SourceException stop = SchemaHistoryStartIT.pollUntilFailure(source);
                assertThat(stop.getMessage()).contains(db + ".v").contains("system-versioned")
                        .contains("binlog_row_metadata=FULL");
            }
            // The way out: FULL metadata; table maps written from then on name every column.
            server.execute("SET GLOBAL binlog_row_metadata = FULL");
            var afterFull = SchemaHistoryStartIT.binlogEnd(server);
            server.execute("UPDATE " + db + ".v SET a = 'v2' WHERE id = 1");
            store.delete(settings.name());
            try (BinlogChangeSource source = new BinlogChangeSource(settings.toBuilder().start(afterFull).build(), store,
                    CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                List<RowChange> rows = SchemaHistoryStartIT.rows(SchemaHistoryResumeIT.poll(source,
                        e -> e.stream().anyMatch(c -> c instanceof RowChange r && r.schema().equals(db))));
                RowChange update = rows.stream().filter(r -> r.schema().equals(db)).findFirst().orElseThrow();
                assertThat(update.after().toMap()).containsEntry("id", 1).containsEntry("a", "v2");
                assertThat(update.before().toMap()).containsEntry("id", 1).containsEntry("a", "v1");
            }
        } finally {
            server.execute("SET GLOBAL binlog_row_metadata = FULL");
        }
    }
}
