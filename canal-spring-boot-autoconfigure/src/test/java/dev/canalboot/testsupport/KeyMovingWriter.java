package dev.canalboot.testsupport;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * The snapshot tests' writer on a table {@code (id BIGINT PRIMARY KEY, k BIGINT NOT NULL, v VARCHAR(40) NOT NULL)}
 * whose first rows have the ids 10, 20, ..., 10 × {@code rows}: each {@link #step} is one autocommitted statement,
 * chosen at random among an insert of a new key, an update of values, a delete, and updates that move a key forward
 * (behind a snapshot's reach) or back by 3 (into chunks a snapshot may have read already).
 */
public final class KeyMovingWriter {

    private final String table;
    private final int rows;
    private final Random random;
    private long next;
    private volatile long steps;

    public KeyMovingWriter(String table, int rows, long seed) {
        this.table = table;
        this.rows = rows;
        this.random = new Random(seed);
        this.next = rows * 10L + 5;
    }

    /** Runs one random statement (one transaction). */
    public void step(Statement st) throws SQLException {
        long id = random.nextInt(rows * 10) + 1;
        long op = steps++;
        switch (random.nextInt(5)) {
            case 0 -> st.execute("INSERT INTO " + table + " VALUES (" + (next++) + ", " + op + ", 'new')");
            case 1 -> st.execute("UPDATE " + table + " SET k = k + 1, v = 'upd" + op + "' WHERE id <= " + id
                    + " ORDER BY id DESC LIMIT 1");
            case 2 -> st.execute("DELETE FROM " + table + " WHERE id >= " + id + " ORDER BY id LIMIT 1");
            case 3 -> st.execute("UPDATE IGNORE " + table + " SET id = " + (next++) + " WHERE id >= " + id
                    + " ORDER BY id LIMIT 1");
            default -> st.execute("UPDATE IGNORE " + table + " SET id = id - 3 WHERE id >= " + id
                    + " ORDER BY id LIMIT 1");
        }
    }

    /** Statements run so far. */
    public long steps() {
        return steps;
    }

    /** Creates the table (dropping an older one) and fills it with {@code rows} rows, 2,000 per INSERT. */
    public static void createAndFill(Statement st, String table, int rows) throws SQLException {
        st.execute("DROP TABLE IF EXISTS " + table);
        st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, k BIGINT NOT NULL, v VARCHAR(40) NOT NULL)");
        for (int from = 1; from <= rows; from += 2000) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
            for (int i = from; i < from + 2000 && i <= rows; i++) {
                sql.append(i == from ? "" : ",").append('(').append(i * 10L).append(',').append(i).append(",'v")
                        .append(i).append("')");
            }
            st.execute(sql.toString());
        }
    }
}
