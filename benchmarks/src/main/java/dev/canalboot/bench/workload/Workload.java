package dev.canalboot.bench.workload;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.BinlogPosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The binlogs every contender reads. Each is generated server-side ({@code INSERT ... SELECT} / {@code UPDATE}
 * over ranges, one statement per transaction) so that generation is fast while the binlog still holds one row
 * event per changed row. Sizes scale linearly with {@code --scale}; transactions hold {@value #TRANSACTION_ROWS}
 * rows.
 */
public enum Workload {

    /** Inserts into a six-column orders table. */
    NARROW("orders", 1_000_000) {
        @Override
        String createTable() {
            return "CREATE TABLE " + SCHEMA + ".orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL,"
                    + " sku VARCHAR(32) NOT NULL, amount DECIMAL(12,2) NOT NULL, created_at DATETIME(3) NOT NULL,"
                    + " status TINYINT UNSIGNED NOT NULL)";
        }

        @Override
        List<String> generate(long rows) {
            return insertSelect(table, rows, "x, x % 100000, CONCAT('SKU-', x), CAST((x % 100000) / 100 AS DECIMAL(12,2)),"
                    + " TIMESTAMPADD(MICROSECOND, x * 1001000, '2024-01-01 00:00:00'), x % 256");
        }
    },

    /** Inserts touching every column type, JSON and utf8mb4 text included, with some NULLs. */
    WIDE("wide", 200_000) {
        @Override
        String createTable() {
            return "CREATE TABLE " + SCHEMA + ".wide (id BIGINT PRIMARY KEY,"
                    + " c_tinyint TINYINT, c_smallint SMALLINT, c_mediumint MEDIUMINT, c_int INT,"
                    + " c_int_u INT UNSIGNED, c_bigint_u BIGINT UNSIGNED, c_decimal DECIMAL(20,6),"
                    + " c_float FLOAT, c_double DOUBLE, c_bit1 BIT(1), c_bit BIT(12), c_year YEAR,"
                    + " c_date DATE, c_time TIME(3), c_datetime DATETIME(6), c_timestamp TIMESTAMP(3) NULL,"
                    + " c_char CHAR(10), c_varchar VARCHAR(100) CHARACTER SET utf8mb4,"
                    + " c_text TEXT CHARACTER SET utf8mb4, c_binary BINARY(8), c_varbinary VARBINARY(32), c_blob BLOB,"
                    + " c_enum ENUM('new','paid','shipped','cancelled'), c_set SET('gift','express','fragile'),"
                    + " c_json JSON, c_point POINT) DEFAULT CHARSET=utf8mb4";
        }

        @Override
        List<String> generate(long rows) {
            return insertSelect(table, rows, "x, x % 256 - 128, x % 65536 - 32768, x % 16777216 - 8388608,"
                    + " x * 7 % 2147483647 - 1073741823, x * 13 % 4294967295, 18446744073709551615 - x,"
                    + " CAST(x / 1000000 + x AS DECIMAL(20,6)), x / 3, x / 7, x % 2, x % 4096, 1901 + x % 255,"
                    + " DATE_ADD('2000-01-01', INTERVAL x % 10000 DAY), SEC_TO_TIME(x % 300000 - 100000 + 0.125),"
                    + " TIMESTAMPADD(MICROSECOND, x * 1000003, '2020-01-01 00:00:00'),"
                    + " IF(x % 10 = 0, NULL, FROM_UNIXTIME(1600000000 + x + 0.5)), LPAD(x % 100000, 10, '0'),"
                    + " CONCAT('名前-', x, '-ü-😀'), IF(x % 10 = 0, NULL, REPEAT(CONCAT('text ', x, ' ☃ '), 5)),"
                    + " UNHEX(LPAD(HEX(x), 16, '0')), UNHEX(MD5(x)), REPEAT(UNHEX(MD5(x)), 4),"
                    + " ELT(1 + x % 4, 'new', 'paid', 'shipped', 'cancelled'), x % 8,"
                    + " JSON_OBJECT('id', x, 'tags', JSON_ARRAY('a', x % 7), 'name', CONCAT('n', x)),"
                    + " POINT(x % 180, x % 90)");
        }
    },

    /** Updates of every row of a pre-filled table: before and after images. */
    UPDATES("updates", 500_000) {
        @Override
        String createTable() {
            return "CREATE TABLE " + SCHEMA + ".updates (id BIGINT PRIMARY KEY, counter INT NOT NULL,"
                    + " note VARCHAR(32) NOT NULL, amount DECIMAL(12,2) NOT NULL, updated_at DATETIME(3) NOT NULL)";
        }

        @Override
        List<String> prepare(long rows) {
            return insertSelect(table, rows, "x, 0, CONCAT('note-', x), CAST(x % 100000 AS DECIMAL(12,2)),"
                    + " '2024-01-01 00:00:00.000'");
        }

        @Override
        List<String> generate(long rows) {
            List<String> statements = new ArrayList<>();
            for (long first = 1; first <= rows; first += TRANSACTION_ROWS) {
                long last = Math.min(rows, first + TRANSACTION_ROWS - 1);
                statements.add("UPDATE " + SCHEMA + ".updates SET counter = counter + 1, amount = amount + 1,"
                        + " note = CONCAT('updated-', id), updated_at = TIMESTAMPADD(MICROSECOND, id * 1000, updated_at)"
                        + " WHERE id BETWEEN " + first + " AND " + last);
            }
            return statements;
        }
    };

    public static final String SCHEMA = "bench";
    public static final int TRANSACTION_ROWS = 1000;

    final String table;
    private final long fullRows;

    Workload(String table, long fullRows) {
        this.table = table;
        this.fullRows = fullRows;
    }

    public String table() {
        return table;
    }

    public String qualifiedTable() {
        return SCHEMA + "." + table;
    }

    /** Row changes this workload writes at {@code scale} (at least one). */
    public long rows(double scale) {
        return Math.max(1, Math.round(fullRows * scale));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    abstract String createTable();

    /** Statements run before the binlog is reset: their changes are not part of the measured binlog. */
    List<String> prepare(long rows) {
        return List.of();
    }

    /** One statement per transaction. */
    abstract List<String> generate(long rows);

    /**
     * Creates the table (and the helper sequence table), resets the binlog, writes the workload and returns the
     * binlog it produced.
     */
    public GeneratedBinlog generate(BenchServer server, long rows) {
        List<String> setup = new ArrayList<>();
        setup.add("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
        setup.add("DROP TABLE IF EXISTS " + qualifiedTable());
        setup.add(createTable());
        setup.add("DROP TABLE IF EXISTS " + SCHEMA + ".seq");
        setup.add("CREATE TABLE " + SCHEMA + ".seq (n INT PRIMARY KEY)");
        StringBuilder seq = new StringBuilder("INSERT INTO " + SCHEMA + ".seq VALUES ");
        for (int n = 1; n <= TRANSACTION_ROWS; n++) {
            seq.append(n == 1 ? "" : ",").append('(').append(n).append(')');
        }
        setup.add(seq.toString());
        setup.addAll(prepare(rows));
        server.execute(setup.toArray(String[]::new));
        server.resetBinlog();
        BinlogPosition start = server.binlogStart();
        long started = System.nanoTime();
        server.execute(generate(rows).toArray(String[]::new));
        long generationNanos = System.nanoTime() - started;
        return new GeneratedBinlog(this, rows, start, server.binlogEnd(), generationNanos);
    }

    /**
     * The narrow table filled by one {@code INSERT ... SELECT} of {@code rows} rows: a single transaction (for the
     * large-transaction memory test). Rows beyond {@value #TRANSACTION_ROWS}² come from a third sequence join.
     */
    public static GeneratedBinlog generateSingleTransaction(BenchServer server, long rows) {
        long perBlock = (long) TRANSACTION_ROWS * TRANSACTION_ROWS;
        long blocks = (rows + perBlock - 1) / perBlock;
        if (blocks > TRANSACTION_ROWS) {
            throw new IllegalArgumentException("At most " + perBlock * TRANSACTION_ROWS + " rows in one transaction, asked for " + rows);
        }
        String x = "((c.n - 1) * " + perBlock + " + (a.n - 1) * " + TRANSACTION_ROWS + " + b.n)";
        String columns = "x, x % 100000, CONCAT('SKU-', x), CAST((x % 100000) / 100 AS DECIMAL(12,2)),"
                + " TIMESTAMPADD(MICROSECOND, x * 1001000, '2024-01-01 00:00:00'), x % 256";
        // The narrow workload's table and sequence, without its rows
        NARROW.generate(server, 0);
        server.resetBinlog();
        BinlogPosition start = server.binlogStart();
        long started = System.nanoTime();
        server.execute("INSERT INTO " + NARROW.qualifiedTable() + " SELECT " + columns.replaceAll("\\bx\\b", x)
                + " FROM " + SCHEMA + ".seq a CROSS JOIN " + SCHEMA + ".seq b CROSS JOIN " + SCHEMA + ".seq c"
                + " WHERE c.n <= " + blocks + " AND " + x + " <= " + rows);
        return new GeneratedBinlog(NARROW, rows, start, server.binlogEnd(), System.nanoTime() - started);
    }

    /** {@code INSERT ... SELECT} of rows 1..rows, {@value #TRANSACTION_ROWS} per statement; {@code x} is the row number. */
    static List<String> insertSelect(String table, long rows, String columnsOfX) {
        List<String> statements = new ArrayList<>();
        for (long offset = 0; offset < rows; offset += TRANSACTION_ROWS) {
            long count = Math.min(TRANSACTION_ROWS, rows - offset);
            statements.add("INSERT INTO " + SCHEMA + "." + table + " SELECT " + columnsOfX.replaceAll("\\bx\\b", "(" + offset + " + n)")
                    + " FROM " + SCHEMA + ".seq WHERE n <= " + count);
        }
        return statements;
    }
}
