package dev.canalboot.internal.binlog.schema;

import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.statement.SQLAlterTableStatement;
import com.alibaba.druid.sql.ast.statement.SQLCreateTableStatement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text rewrites around the SQL parser: executable comments, MariaDB's conditions, visibility, CHARSET. */
class DdlParserTest {

    @Test
    void parsesStatementsAsWritten() {
        List<SQLStatement> statements = DdlParser.parse("CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(5))");
        assertThat(statements).singleElement().isInstanceOf(SQLCreateTableStatement.class);
        DdlParser.Parsed parsed = DdlParser.parseDdl("ALTER TABLE t ADD COLUMN c INT");
        assertThat(parsed.statements()).singleElement().isInstanceOf(SQLAlterTableStatement.class);
        assertThat(parsed.conditional()).isFalse();
    }

    @Test
    void executableCommentsKeepTheirContent() {
        assertThat(DdlParser.unwrapExecutableComments("CREATE TABLE p (a INT) /*!50100 PARTITION BY HASH (a) */"))
                .isEqualTo("CREATE TABLE p (a INT)   PARTITION BY HASH (a)  ");
        assertThat(DdlParser.unwrapExecutableComments("/*M!100100 ALTER TABLE x ADD y INT */"))
                .isEqualTo("  ALTER TABLE x ADD y INT  ");
        // an ordinary comment inside stays a comment; quotes are not searched
        assertThat(DdlParser.unwrapExecutableComments("/*!40101 SET /* note */ x=1 */ 'it''s /*!1 */'"))
                .isEqualTo("  SET /* note */ x=1   'it''s /*!1 */'");
        assertThat(DdlParser.unwrapExecutableComments("DROP TABLE t /* plain */")).isEqualTo("DROP TABLE t /* plain */");
        assertThat(DdlParser.parse("/*!40101 ALTER TABLE t ADD COLUMN e INT */")).singleElement()
                .isInstanceOf(SQLAlterTableStatement.class);
    }

    @Test
    void mariaDbConditionsBecomePlainClausesAndAreReported() {
        assertThat(DdlParser.withoutMariaDbConditions("ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT,"
                + " DROP COLUMN IF EXISTS b, MODIFY IF EXISTS c BIGINT, ADD UNIQUE KEY IF NOT EXISTS u (a)"))
                .isEqualTo("ALTER TABLE t ADD COLUMN a INT, DROP COLUMN b, MODIFY c BIGINT, ADD UNIQUE KEY u (a)");
        assertThat(DdlParser.withoutMariaDbConditions("CREATE OR REPLACE TABLE t (id INT)"))
                .isEqualTo("CREATE TABLE t (id INT)");
        assertThat(DdlParser.withoutMariaDbConditions("CREATE TABLE t (c VARCHAR(9) COMMENT 'add if exists')"))
                .as("quoted text is left alone").isEqualTo("CREATE TABLE t (c VARCHAR(9) COMMENT 'add if exists')");
        assertThat(DdlParser.withoutMariaDbConditions("DROP TABLE IF EXISTS t"))
                .as("a table's IF EXISTS is MySQL's own").isEqualTo("DROP TABLE IF EXISTS t");
        assertThat(DdlParser.parseDdl("ALTER TABLE t DROP COLUMN IF EXISTS b").conditional()).isTrue();
        assertThat(DdlParser.parseDdl("CREATE OR REPLACE TABLE t (id INT)").conditional()).isTrue();
    }

    @Test
    void columnVisibilityIsDroppedOnlyAsAColumnAttribute() {
        assertThat(DdlParser.withoutColumnVisibility("ALTER TABLE t ADD COLUMN v INT INVISIBLE"))
                .isEqualTo("ALTER TABLE t ADD COLUMN v INT          ");
        assertThat(DdlParser.withoutColumnVisibility("CREATE TABLE h (s INT NOT NULL VISIBLE COMMENT 'INVISIBLE')"))
                .isEqualTo("CREATE TABLE h (s INT NOT NULL         COMMENT 'INVISIBLE')");
        for (String untouched : new String[] {"ALTER TABLE h ALTER COLUMN s SET INVISIBLE",
                "ALTER TABLE h ALTER INDEX i VISIBLE", "ALTER TABLE h ADD COLUMN visible INT",
                "ALTER TABLE h DROP COLUMN invisible", "CREATE TABLE h (e ENUM('VISIBLE'))"}) {
            assertThat(DdlParser.withoutColumnVisibility(untouched)).as(untouched).isEqualTo(untouched);
        }
    }

    @Test
    void charsetIsSpelledOutOutsideQuotes() {
        assertThat(DdlParser.charsetSpelledOut("ALTER TABLE t DEFAULT CHARSET=latin1 COMMENT 'charset'"))
                .isEqualTo("ALTER TABLE t DEFAULT CHARACTER SET=latin1 COMMENT 'charset'");
    }

    @Test
    void theRewritesAreTriedOnlyWhenTheParserRefusesTheStatement() {
        // INVISIBLE is unknown to the parser: the statement parses once it is gone
        DdlParser.Parsed parsed = DdlParser.parseDdl("ALTER TABLE t ADD COLUMN v INT INVISIBLE");
        assertThat(parsed.statements()).singleElement().isInstanceOf(SQLAlterTableStatement.class);
        assertThat(parsed.statements().get(0).toString()).doesNotContainIgnoringCase("invisible");
    }

    @Test
    void anUnparseableStatementKeepsTheParsersMessage() {
        assertThatThrownBy(() -> DdlParser.parse("ALTER TABLE t WAIT 1 ADD COLUMN v INT"))
                .isInstanceOf(UnparseableDdlException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank())
                .hasCauseInstanceOf(RuntimeException.class);
    }

    @Test
    void systemVersioningIsFoundOutsideQuotesOnly() {
        assertThat(DdlParser.systemVersioning("ALTER TABLE t ADD SYSTEM VERSIONING")).isTrue();
        assertThat(DdlParser.systemVersioning("CREATE TABLE v (id INT) /*M!100300 WITH system  versioning */")).isTrue();
        assertThat(DdlParser.systemVersioning("ALTER TABLE t DROP PARTITION p FOR SYSTEM_TIME")).isTrue();
        assertThat(DdlParser.systemVersioning("ALTER TABLE t COMMENT 'system versioning'")).isFalse();
        assertThat(DdlParser.systemVersioning("ALTER TABLE `system versioning` ADD c INT")).isFalse();
    }
}
