package dev.canalboot.internal.jdbc;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/** What a {@link SQLException} means, told the same way for every database a store may run on. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * Whether an insert lost a race for a key another writer inserted first: the driver's integrity-violation
     * type, or SQLState class 23 (integrity constraint violation) for drivers that do not use that type.
     */
    public static boolean isDuplicateKey(SQLException e) {
        return e instanceof SQLIntegrityConstraintViolationException
                || (e.getSQLState() != null && e.getSQLState().startsWith("23"));
    }
}
