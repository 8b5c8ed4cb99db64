package dev.canalboot.internal.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlErrorsTest {

    @Test
    void aDuplicateKeyIsToldByTypeOrBySqlStateClass23() {
        assertThat(SqlErrors.isDuplicateKey(new SQLIntegrityConstraintViolationException("dup"))).isTrue();
        assertThat(SqlErrors.isDuplicateKey(new SQLException("dup", "23505"))).as("PostgreSQL's unique violation")
                .isTrue();
        assertThat(SqlErrors.isDuplicateKey(new SQLException("dup", "23000", 1062))).as("MySQL's 1062").isTrue();
    }

    @Test
    void otherErrorsAreNotDuplicateKeys() {
        assertThat(SqlErrors.isDuplicateKey(new SQLTransientException("deadlock", "40001"))).isFalse();
        assertThat(SqlErrors.isDuplicateKey(new SQLException("lock wait timeout", "HY000", 1205))).isFalse();
        assertThat(SqlErrors.isDuplicateKey(new SQLException("no state"))).isFalse();
    }
}
