package dev.canalboot.internal.binlog.schema;

import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.internal.binlog.value.TableDecoder;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the schema history asks the server: not for a table map with column names (FULL metadata), which gives the
 * columns by itself, but at the first need (here a DDL); what it took from the map before is then completed as if
 * the server had been asked first.
 */
class SchemaHistorySeedTest {

    private static final TableDefinition PRESENT = new TableDefinition("db", "t", List.of(
            new ColumnDefinition("id", "int", "int", null, true),
            new ColumnDefinition("a", "varchar", "varchar(10)", "utf8mb4", false)), "utf8mb4");

    /** information_schema as a map: db.t as above, the schema's default latin1; nothing changes it later. */
    private static final class CountingCatalog extends ServerCatalog {
        int presentCalls;
        int laterDdlCalls;

        CountingCatalog() {
            super(null, null, null);
        }

        @Override
        synchronized Present present(TableKey only) {
            presentCalls++;
            return new Present(Map.of(new TableKey("db", "t"), PRESENT), Map.of("db", "latin1"), "utf8mb4");
        }

        @Override
        synchronized LaterDdl laterDdl(String file, long position) {
            laterDdlCalls++;
            return new LaterDdl(Map.of(), Map.of(), Map.of());
        }

        @Override
        synchronized boolean mariaDb() {
            return false;
        }

        @Override
        public synchronized void close() {
        }
    }

    /** db.t (id INT PRIMARY KEY, a VARCHAR(10) utf8mb4) as a FULL table map. */
    private static TableMapEvent fullTableMap() {
        return new TableMapEvent(7, "db", "t", new int[]{MysqlType.LONG, MysqlType.VARCHAR}, new int[]{0, 40},
                new boolean[]{false, true}, new TableMapEvent.OptionalMetadata(new boolean[]{false, false},
                new int[]{-1, 255}, List.of("id", "a"), List.of(), List.of(), new int[]{0}));
    }

    @Test
    void aTableMapWithNamesAsksTheServerNothingAndTheFirstDdlSeedsAsIfItHadBeenFirst() {
        CountingCatalog catalog = new CountingCatalog();
        SchemaHistory history = new SchemaHistory("main", catalog);
        TableMapEvent map = fullTableMap();
        history.streamAt("binlog.000001", 400);
        history.named(map, TableDecoder.build(map, null, ZeroDatePolicy.NULL).schema());
        assertThat(catalog.presentCalls + catalog.laterDdlCalls).as("queries before the first row").isZero();
        assertThat(history.state().seeded).isFalse();

        history.streamAt("binlog.000001", 900);
        TableDefinition[] change = history.ddl("db", "ALTER TABLE t ADD COLUMN b VARCHAR(5)");
        assertThat(catalog.presentCalls).isEqualTo(1);
        assertThat(catalog.laterDdlCalls).isEqualTo(1);
        assertThat(history.state().seeded).isTrue();
        // the server's definition, as when the server was asked at the table map
        assertThat(change[0]).isEqualTo(PRESENT);
        // a column added without a character set takes the table's default, not the schema's
        assertThat(change[1].columns().get(2)).isEqualTo(new ColumnDefinition("b", "varchar", "varchar(5)", "utf8mb4",
                false));
    }

    @Test
    void aTableMapThatDisagreesWithTheServerKeepsItsColumnsAndTakesTheServersCharacterSets() {
        CountingCatalog catalog = new CountingCatalog();
        SchemaHistory history = new SchemaHistory("main", catalog);
        TableMapEvent map = new TableMapEvent(7, "db", "t", new int[]{MysqlType.LONG, MysqlType.VARCHAR},
                new int[]{0, 40}, new boolean[]{false, true}, new TableMapEvent.OptionalMetadata(
                new boolean[]{false, false}, new int[]{-1, 255}, List.of("id", "a2"), List.of(), List.of(),
                new int[]{0}));
        history.streamAt("binlog.000001", 400);
        history.named(map, TableDecoder.build(map, null, ZeroDatePolicy.NULL).schema());
        history.streamAt("binlog.000001", 900);
        TableDefinition[] change = history.ddl("db", "ALTER TABLE t ADD COLUMN b VARCHAR(5)");
        assertThat(change[0].columnNames()).containsExactly("id", "a2");
        assertThat(change[0].charset()).isEqualTo("utf8mb4");
        assertThat(change[1].columns().get(2).charset()).isEqualTo("utf8mb4");
    }
}
