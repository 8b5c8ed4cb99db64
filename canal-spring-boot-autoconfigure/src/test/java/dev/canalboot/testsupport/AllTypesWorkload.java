package dev.canalboot.testsupport;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test support: a table with every column type, rows with NULLs, minimum, maximum, zero and typical values,
 * then an update and a delete; and the check that decoded images equal what SELECT returned at each step.
 */
public final class AllTypesWorkload {

    /**
     * The columns after {@code id}. A decoder that counts one column type wrong (e.g. which columns the
     * table map's charset metadata numbers) can only be caught when a column of that type stands before the
     * columns it shifts: {@link ColumnOrder} places every column before and after every other.
     */
    public static final List<String> COLUMNS = List.of(
            "c_tiny TINYINT", "c_utiny TINYINT UNSIGNED", "c_small SMALLINT", "c_usmall SMALLINT UNSIGNED",
            "c_medium MEDIUMINT", "c_umedium MEDIUMINT UNSIGNED", "c_int INT", "c_uint INT UNSIGNED",
            "c_big BIGINT", "c_ubig BIGINT UNSIGNED",
            "c_dec DECIMAL(10,2)", "c_dec_big DECIMAL(65,30)", "c_dec0 DECIMAL(18,0)", "c_dec_frac DECIMAL(5,5)",
            "c_float FLOAT", "c_double DOUBLE",
            "c_bit1 BIT(1)", "c_bit BIT(17)", "c_year YEAR",
            "c_date DATE", "c_time TIME", "c_time6 TIME(6)", "c_time3 TIME(3)", "c_time1 TIME(1)",
            "c_dt DATETIME", "c_dt6 DATETIME(6)", "c_dt2 DATETIME(2)",
            "c_ts TIMESTAMP NULL DEFAULT NULL", "c_ts6 TIMESTAMP(6) NULL DEFAULT NULL",
            "c_char CHAR(10)", "c_vc VARCHAR(300)", "c_text TEXT", "c_tinytext TINYTEXT",
            "c_latin1 VARCHAR(20) CHARACTER SET latin1", "c_gbk VARCHAR(20) CHARACTER SET gbk",
            "c_char_long CHAR(255)",
            "c_bin BINARY(4)", "c_vbin VARBINARY(10)", "c_blob BLOB", "c_mblob MEDIUMBLOB",
            "c_enum ENUM('a','b','c''d')", "c_set SET('x','y','z')",
            "c_json JSON", "c_geo GEOMETRY");

    /** Orders of {@link #COLUMNS}: between them, every column type stands before and after every other. */
    public enum ColumnOrder {
        AS_WRITTEN, REVERSED;

        public List<String> apply(List<String> columns) {
            List<String> ordered = new java.util.ArrayList<>(columns);
            if (this == REVERSED) {
                java.util.Collections.reverse(ordered);
            }
            return ordered;
        }
    }

    public final String schema;
    public final String table;
    public final boolean mariadb;
    public final ColumnOrder order;
    public Map<Object, Object[]> afterInsert;
    public Map<Object, Object[]> afterUpdate;

    public AllTypesWorkload(String schema, String table, boolean mariadb) {
        this(schema, table, mariadb, ColumnOrder.AS_WRITTEN);
    }

    public AllTypesWorkload(String schema, String table, boolean mariadb, ColumnOrder order) {
        this.schema = schema;
        this.table = table;
        this.mariadb = mariadb;
        this.order = order;
    }

    /** One workload per {@link ColumnOrder}, on tables named {@code prefix_as_written}, {@code prefix_reversed}. */
    public static List<AllTypesWorkload> inEveryOrder(String schema, String prefix, boolean mariadb) {
        return java.util.Arrays.stream(ColumnOrder.values()).map(order -> new AllTypesWorkload(schema,
                prefix + "_" + order.name().toLowerCase(java.util.Locale.ROOT), mariadb, order)).toList();
    }

    public String createTable() {
        return "CREATE TABLE `" + schema + "`.`" + table + "` (id INT PRIMARY KEY, "
                + String.join(", ", order.apply(COLUMNS)) + ")";
    }

    public List<String> workload() {
        String t = "`" + schema + "`.`" + table + "`";
        String cols = "(id, c_tiny, c_utiny, c_small, c_usmall, c_medium, c_umedium, c_int, c_uint, c_big, c_ubig,"
                + " c_dec, c_dec_big, c_dec0, c_dec_frac, c_float, c_double, c_bit1, c_bit, c_year, c_date, c_time,"
                + " c_time6, c_time3, c_time1, c_dt, c_dt6, c_dt2, c_ts, c_ts6, c_char, c_vc, c_text, c_tinytext,"
                + " c_latin1, c_gbk, c_char_long, c_bin, c_vbin, c_blob, c_mblob, c_enum, c_set, c_json, c_geo)";
        return List.of(
                "INSERT INTO " + t + " (id) VALUES (1)",
                "INSERT INTO " + t + cols + " VALUES (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0,"
                        + " -9223372036854775808, 0, -99999999.99, -" + "9".repeat(35) + "." + "9".repeat(30)
                        + ", -999999999999999999, -0.99999, -3.5, -1.7976931348623157E308, b'0', b'0', 1901,"
                        + " '1000-01-01', '-838:59:59', '-838:59:59.000000', '-00:00:01.500', '-00:00:00.1',"
                        + " '1000-01-01 00:00:00', '1000-01-01 00:00:00.000001', '1000-01-01 00:00:00.01',"
                        + " '1970-01-01 00:00:01', '1970-01-01 00:00:01.000001', '', '', '', '', '', '', '',"
                        + " '', '', '', '', 'a', '', " + "'[]', ST_GeomFromText('POINT(0 0)'))",
                "INSERT INTO " + t + cols + " VALUES (3, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647,"
                        + " 4294967295, 9223372036854775807, 18446744073709551615, 99999999.99, "
                        + "9".repeat(35) + "." + "9".repeat(30) + ", 999999999999999999, 0.99999, 3.4e38,"
                        + " 1.7976931348623157E308, b'1', b'11111111111111111', 2155, '9999-12-31',"
                        + " '838:59:59', '838:59:59.000000', '838:59:58.999', '-12:34:56.7',"
                        + " '9999-12-31 23:59:59', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.99',"
                        + " '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999', 'abcdefghij', REPEAT('v', 300),"
                        + " REPEAT('t', 70000 DIV 4), REPEAT('x', 255), 'ÿÿÿÿ', '汉字汉字', REPEAT('é', 255),"
                        + " x'FFFFFFFF', x'00010203040506070809', x'00FF00', REPEAT(x'AB', 70000), 'c''d', 'x,y,z',"
                        + " '{\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"e\\\\\"f\"}, \"n\": 1.5,"
                        + " \"big\": 12345678901234, \"neg\": -5, \"u\": \"ünï😀\", \"long\": \"" + "L".repeat(300)
                        + "\"}', ST_GeomFromText('LINESTRING(0 0, 1 1, 2 5)'))",
                "INSERT INTO " + t + cols + " VALUES (4, 7, 200, -7, 60000, -70000, 70000, -7, 3000000000,"
                        + " -7, 9223372036854775808, 12.30, 0.000000000000000000000000000001, 42, 0.01, 1.2345678,"
                        + " 2.5e-10, b'1', b'10101', 2024, '2024-02-29', '25:00:00', '-01:02:03.000004',"
                        + " '00:00:00.001', '10:00:00.5', '2024-02-29 12:34:56', '2024-02-29 12:34:56.123456',"
                        + " '2024-02-29 12:34:56.5', '2024-02-29 12:34:56', '2024-02-29 12:34:56.654321',"
                        + " 'ab', 'héllo wörld 😀', 'text with\\nnewline', '', 'café', '中文', 'x',"
                        + " x'01', x'', x'', x'', 'a', '', "
                        + "'[1, \"two\", 3.25, {\"k\": []}, -100000, 4294967296]', ST_GeomFromText('POINT(1 2)'))",
                "SET SESSION sql_mode = ''",
                "INSERT INTO " + t + " (id, c_date, c_dt, c_dt6, c_ts, c_year, c_enum) VALUES (5, '0000-00-00',"
                        + " '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00', 0, 'zz')",
                "SET SESSION sql_mode = DEFAULT");
    }

    public List<String> changes() {
        String t = "`" + schema + "`.`" + table + "`";
        return List.of(
                "UPDATE " + t + " SET c_int = c_int + 1, c_vc = 'changed', c_json = '{\"z\": null}',"
                        + " c_set = 'y', c_enum = 'b', c_dt6 = '2001-02-03 04:05:06.7' WHERE id = 4",
                "UPDATE " + t + " SET c_tiny = 1 WHERE id = 1",
                "DELETE FROM " + t + " WHERE id = 2");
    }

    public void run(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00'");
            for (String sql : workload()) {
                st.execute(sql);
            }
            afterInsert = JdbcRows.select(connection, schema, table);
            for (String sql : changes()) {
                st.execute(sql);
            }
            afterUpdate = JdbcRows.select(connection, schema, table);
        }
    }

    /** Checks the decoded row changes of the workload's table against the SELECT snapshots. */
    public void verify(List<RowChange> changes) {
        List<RowChange> mine = changes.stream().filter(c -> c.table().equals(table)).toList();
        assertThat(mine).extracting(RowChange::type).containsExactly(ChangeType.INSERT, ChangeType.INSERT,
                ChangeType.INSERT, ChangeType.INSERT, ChangeType.INSERT, ChangeType.UPDATE, ChangeType.UPDATE,
                ChangeType.DELETE);
        for (int i = 0; i < 5; i++) {
            RowChange insert = mine.get(i);
            JdbcRows.assertRow(table + ": insert of id " + (i + 1), insert.after(), afterInsert.get(i + 1));
        }
        JdbcRows.assertRow(table + ": update of id 4, before", mine.get(5).before(), afterInsert.get(4));
        JdbcRows.assertRow(table + ": update of id 4, after", mine.get(5).after(), afterUpdate.get(4));
        JdbcRows.assertRow(table + ": update of id 1, before", mine.get(6).before(), afterInsert.get(1));
        JdbcRows.assertRow(table + ": update of id 1, after", mine.get(6).after(), afterUpdate.get(1));
        JdbcRows.assertRow(table + ": delete of id 2", mine.get(7).before(), afterInsert.get(2));
    }
}
