package dev.canalboot.binlog;

import dev.canalboot.testsupport.AllTypesWorkload;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.testsupport.CollectingSink;
import dev.canalboot.testsupport.JdbcShapeResolver;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes binlog files written by a real MariaDB 11.4 ({@link BinlogFilesContract}) and what only MariaDB writes. */
class MariaDbBinlogFilesIT extends BinlogFilesContract {

    private static final String SCHEMA = "decode_mariadb";
    private static EmbeddedMariaDb mariadb;

    @BeforeAll
    static void start() {
        mariadb = TestServers.mariadb();
        mariadb.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA
                + " CHARACTER SET utf8mb4");
    }

    @Override
    protected EmbeddedDatabase server() {
        return mariadb;
    }

    @Override
    protected String schema() {
        return SCHEMA;
    }

    @Override
    protected boolean mariaDb() {
        return true;
    }

    @Override
    protected void checkFullMetadata(CollectingSink sink) {
        assertThat(sink.rows(SCHEMA).get(0).position().gtid()).matches("\\d+-\\d+-\\d+");
        assertThat(sink.eventTypes).contains(160, 161, 162, 163); // annotate rows, checkpoint, GTID, GTID list
    }

    /**
     * MINIMAL: the charsets come from the table map (names from the shape resolver). MariaDB numbers GEOMETRY
     * among the character columns, so a text column after a GEOMETRY one is where a wrong count shows.
     */
    @Override
    protected void checkMinimalMetadata(CollectingSink sink, JdbcShapeResolver shapes) {
        assertThat(shapes.looked).isNotEmpty();
    }

    @Test
    void withoutMetadataNamesAndCharsetsComeFromTheShapeResolver() throws Exception {
        AllTypesWorkload workload = new AllTypesWorkload(SCHEMA, "all_nolog", true);
        JdbcShapeResolver shapes = new JdbcShapeResolver(mariadb.jdbcUrl(null), mariadb.rootUser(),
                mariadb.rootPassword());
        CollectingSink sink;
        try {
            sink = decodeAround(shapes, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SET GLOBAL binlog_row_metadata = NO_LOG");
                }
                try (Connection session = connect(); Statement st = session.createStatement()) {
                    st.execute(workload.createTable());
                    workload.run(session);
                }
            });
        } finally {
            mariadb.execute("SET GLOBAL binlog_row_metadata = FULL");
        }
        workload.verify(sink.rows(SCHEMA));
        assertThat(shapes.looked).contains(SCHEMA + ".all_nolog");
    }

    @Test
    void compressedEventsDecodeLikePlainOnes() throws Exception {
        AllTypesWorkload workload = new AllTypesWorkload(SCHEMA, "all_compressed", true);
        CollectingSink sink;
        try {
            sink = decodeAround(null, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SET GLOBAL log_bin_compress = ON");
                    st.execute("SET GLOBAL log_bin_compress_min_len = 10");
                }
                try (Connection session = connect(); Statement st = session.createStatement()) {
                    st.execute(workload.createTable());
                    workload.run(session);
                }
            });
        } finally {
            mariadb.execute("SET GLOBAL log_bin_compress = OFF");
        }
        workload.verify(sink.rows(SCHEMA));
        assertThat(sink.eventTypes).contains(165, 166); // QUERY_COMPRESSED, WRITE_ROWS_COMPRESSED_V1
        assertThat(sink.changes).anySatisfy(e -> assertThat(e).isInstanceOf(dev.canalboot.model.SchemaChange.class));
    }

    @Test
    void gtidEventsOpenTransactionsAndXidsCloseThem() throws Exception {
        CollectingSink sink = decodeAround(null, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + SCHEMA + ".tx (id INT PRIMARY KEY, v VARCHAR(10))");
                c.setAutoCommit(false);
                st.execute("INSERT INTO " + SCHEMA + ".tx VALUES (1, 'a')");
                st.execute("INSERT INTO " + SCHEMA + ".tx VALUES (2, 'b')");
                c.commit();
                c.setAutoCommit(true);
                st.execute("TRUNCATE TABLE " + SCHEMA + ".tx");
                st.execute("INSERT INTO " + SCHEMA + ".tx VALUES (3, 'c')");
            }
        });
        List<String> kinds = sink.changes.stream().filter(e -> !(e instanceof RowChange r)
                || r.schema().equals(SCHEMA)).map(BinlogFilesContract::describe).toList();
        assertThat(kinds).containsSubsequence("DDL " + SCHEMA + ".tx", "BEGIN", "INSERT tx[1, a]", "INSERT tx[2, b]",
                "COMMIT", "DDL " + SCHEMA + ".tx", "BEGIN", "INSERT tx[3, c]", "COMMIT");
        assertBalancedTransactions(sink.changes);
        ChangeEvent begin = sink.changes.stream().filter(e -> e instanceof TransactionBoundary b
                && b.kind() == TransactionBoundary.Kind.BEGIN).findFirst().orElseThrow();
        assertThat(((TransactionBoundary) begin).transactionId()).matches("\\d+-\\d+-\\d+");
    }
}
