package dev.canalboot.test;

import dev.canalboot.autoconfigure.BinlogConnectionDetails;
import dev.canalboot.embedded.EmbeddedMySql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test user's view of a shared embedded server (the one the {@code @EmbeddedCdcDatabase} tests of this JVM use):
 * SQL in and rows out as that user, and the connection details a binlog source gets.
 */
class TestDatabaseIT {

    private static final String SCHEMA = "test_database_it";

    static TestDatabase database;

    @BeforeAll
    static void createSchema() {
        database = EmbeddedCdcDatabases.get(CdcDatabase.MYSQL_8_0);
        database.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA);
    }

    @Test
    void theTestUserIsTheServersNativePasswordAccount() {
        assertThat(database.kind()).isEqualTo(CdcDatabase.MYSQL_8_0);
        assertThat(database.username()).isEqualTo(database.server().nativePasswordUser().name());
        assertThat(database.password()).isEqualTo(database.server().nativePasswordUser().password());
        assertThat(database.host()).isEqualTo("127.0.0.1");
        assertThat(database.port()).isEqualTo(database.server().port());
        assertThat(database).hasToString("MySQL " + ((EmbeddedMySql) database.server()).version() + " at 127.0.0.1:"
                + database.port() + " as " + database.username());
    }

    @Test
    void statementsRunAsTheTestUserAndQueriesReturnRowsAsLabelledColumnsInOrder() {
        database.execute("CREATE TABLE " + SCHEMA + ".items (id INT PRIMARY KEY, name VARCHAR(20), note TEXT)",
                "INSERT INTO " + SCHEMA + ".items VALUES (2, 'bob', NULL), (1, 'ada', 'first')");

        List<Map<String, Object>> rows = database.query("SELECT id, name AS who, note FROM " + SCHEMA
                + ".items ORDER BY id");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(Map.entry("id", 1), Map.entry("who", "ada"), Map.entry("note", "first"));
        assertThat(rows.get(1).keySet()).containsExactly("id", "who", "note");
        assertThat(rows.get(1).get("note")).isNull();
        assertThat(database.query("SELECT CURRENT_USER() AS user").get(0).get("user").toString())
                .startsWith(database.username() + "@");
    }

    @Test
    void aRejectedStatementNamesItselfTheServerAndTheReasonAndStopsTheRest() {
        assertThatThrownBy(() -> database.execute("CREATE TABLE " + SCHEMA + ".twice (id INT)",
                "CREATE TABLE " + SCHEMA + ".twice (id INT)", "CREATE TABLE " + SCHEMA + ".never (id INT)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(database + " rejected \"CREATE TABLE " + SCHEMA + ".twice (id INT)\": ")
                .hasMessageContaining("already exists");
        assertThat(database.query("SHOW TABLES FROM " + SCHEMA + " LIKE 'never'")).isEmpty();
        assertThatThrownBy(() -> database.query("SELECT * FROM " + SCHEMA + ".missing"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rejected \"SELECT * FROM " + SCHEMA
                        + ".missing\"");
    }

    @Test
    void theConnectionDetailsAreTheTestUsers() {
        BinlogConnectionDetails details = database.connectionDetails();

        assertThat(details.host()).isEqualTo(database.host());
        assertThat(details.port()).isEqualTo(database.port());
        assertThat(details.username()).isEqualTo(database.username());
        assertThat(details.password()).isEqualTo(database.password());
        assertThat(details.tls()).isNull();
        assertThat(details).hasToString("BinlogConnectionDetails[" + database + "]");
        assertThat(database.jdbcUrl(SCHEMA)).isEqualTo("jdbc:mysql://127.0.0.1:" + database.port() + "/" + SCHEMA
                + "?allowPublicKeyRetrieval=true");
        assertThat(database.jdbcUrl(null)).isEqualTo("jdbc:mysql://127.0.0.1:" + database.port()
                + "/?allowPublicKeyRetrieval=true");
    }
}
