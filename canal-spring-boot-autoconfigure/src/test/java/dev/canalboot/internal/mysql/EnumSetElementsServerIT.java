package dev.canalboot.internal.mysql;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Parses the COLUMN_TYPE real servers write for elements that need quoting or escaping. */
class EnumSetElementsServerIT {

    /** Each element as a Java string; the SQL below declares exactly these. */
    private static final List<String> ELEMENTS = List.of("it's", "back\\slash", "two\nlines", "cr\r", "a,b", "c)d",
            "\"dq\"", "tab\there", "pct\\%", "");

    /** The SQL literal of {@link #ELEMENTS}, written with both kinds of quoting a user might use. */
    private static final String SQL_ELEMENTS =
            "'it''s','back\\\\slash','two\\nlines','cr\\r','a,b','c)d','\"dq\"','tab\there','pct\\%',''";

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void columnTypeOfInformationSchemaGivesTheElementsTheServerStores(String kind) throws SQLException {
        EmbeddedDatabase server = kind.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        server.execute("CREATE DATABASE IF NOT EXISTS enum_set_elements",
                "DROP TABLE IF EXISTS enum_set_elements.t",
                "CREATE TABLE enum_set_elements.t (e ENUM(" + SQL_ELEMENTS + ") CHARACTER SET utf8mb4,"
                        + " s SET('x)', 'y''', 'z\\\\') CHARACTER SET utf8mb4)");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement st = c.createStatement()) {
            List<String> columnTypes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT COLUMN_TYPE FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = 'enum_set_elements' AND TABLE_NAME = 't' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    columnTypes.add(rs.getString(1));
                }
            }
            assertThat(columnTypes).hasSize(2);
            List<String> enumElements = EnumSetElements.parse(columnTypes.get(0));
            assertThat(enumElements).as(columnTypes.get(0)).isEqualTo(ELEMENTS);
            assertThat(enumElements).as("the server's own values, by index").isEqualTo(storedEnumValues(st));
            assertThat(EnumSetElements.parse(columnTypes.get(1))).as(columnTypes.get(1))
                    .containsExactly("x)", "y'", "z\\");
        }
    }

    /** ENUM values set by index and read back as text: what the server holds, independent of COLUMN_TYPE. */
    private static List<String> storedEnumValues(Statement st) throws SQLException {
        List<String> stored = new ArrayList<>();
        for (int index = 1; index <= ELEMENTS.size(); index++) {
            st.execute("DELETE FROM enum_set_elements.t");
            st.execute("INSERT INTO enum_set_elements.t (e) VALUES (" + index + ")");
            try (ResultSet rs = st.executeQuery("SELECT e FROM enum_set_elements.t")) {
                rs.next();
                stored.add(rs.getString(1));
            }
        }
        return stored;
    }
}
