package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.ErrPacket;
import dev.canalboot.internal.binlog.protocol.MySqlServerException;
import dev.canalboot.source.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which of the server's replication errors are worth a retry, and what the message tells the user to do. The texts of
 * ERROR 1236 itself are {@link ReadErrorsTest}'s.
 */
class ReplicationErrorsTest {

    private static final BinlogCheckpoint AT = new BinlogCheckpoint("binlog.000001", 1934, null, null);

    @Test
    void mariaDbsSameServerIdErrorNamesTheCauseAndIsFinal() {
        ErrPacket err = new ErrPacket(ReplicationErrors.ER_SLAVE_SAME_ID, "HY000",
                "A slave with the same server_uuid/server_id as this slave has connected to the master");

        SourceException e = classify(err);

        assertThat(e).isInstanceOf(MySqlServerException.class);
        assertThat(((MySqlServerException) e).error()).isSameAs(err);
        assertThat(e.getMessage()).isEqualTo("Source orders (db:3306): another replica uses the same server id and"
                + " the server dropped this one: " + err + ". Give every replica of the server its own server-id.");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void mySqlsSameServerIdErrorComesAs1236AndIsRecognisedByItsText() {
        // MySQL sends it as ERROR 1236 to the older connection: it must not read as a binlog read error.
        ErrPacket err = new ErrPacket(ReplicationErrors.ER_MASTER_FATAL_ERROR_READING_BINLOG, "HY000",
                "A replica with the same server_uuid/server_id as this replica has connected to the source;"
                        + " the first event 'binlog.000001' at 4");

        SourceException e = classify(err);

        assertThat(e.getMessage()).contains("another replica uses the same server id")
                .doesNotContain("cannot send the binlog");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void otherBinlogReadErrorsAreExplainedWithThePosition() {
        ErrPacket err = new ErrPacket(ReplicationErrors.ER_MASTER_FATAL_ERROR_READING_BINLOG, "HY000",
                "Could not find first log file name in binary log index file");

        SourceException e = classify(err);

        assertThat(e.getMessage()).startsWith("Source orders (db:3306) cannot send the binlog from binlog.000001:1934");
        assertThat(e.isRetryable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {ReplicationErrors.ER_SPECIFIC_ACCESS_DENIED, ReplicationErrors.ER_ACCESS_DENIED})
    void missingPrivilegesSayWhichGrantIsNeeded(int code) {
        ErrPacket err = new ErrPacket(code, "42000", "Access denied; you need (at least one of) the SUPER privilege(s)");

        SourceException e = classify(err);

        assertThat(e.getMessage()).isEqualTo("Source orders (db:3306): user 'canal'@'%' lacks a privilege replication"
                + " needs: " + err + ". Grant it: GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'canal'@'%'"
                + " (and SELECT on the captured tables for their column names).");
        assertThat(e.isRetryable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Access denied; you need the REPLICATION SLAVE privilege for this operation",
            "Access denied; you need (at least one of) the REPLICATION CLIENT privilege(s)"})
    void aPrivilegeNamedInTheTextIsRecognisedWhateverTheCode(String text) {
        SourceException e = classify(new ErrPacket(1044, "42000", text));

        assertThat(e.getMessage()).contains("lacks a privilege replication needs").contains("GRANT REPLICATION SLAVE");
        assertThat(e.isRetryable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {ReplicationErrors.ER_QUERY_INTERRUPTED, ReplicationErrors.ER_SERVER_SHUTDOWN,
            ReplicationErrors.ER_CONNECTION_KILLED, ReplicationErrors.ER_SESSION_WAS_KILLED})
    void aStreamEndedByShutdownOrKillIsRetryable(int code) {
        ErrPacket err = new ErrPacket(code, "70100", "Server shutdown in progress");

        SourceException e = classify(err);

        assertThat(e).isInstanceOf(MySqlServerException.class);
        assertThat(e.getMessage()).isEqualTo("Source orders (db:3306) ended the binlog stream at binlog.000001:1934: "
                + err);
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void anyOtherErrorEndsTheStreamForGood() {
        ErrPacket err = new ErrPacket(1064, "42000", "You have an error in your SQL syntax");

        SourceException e = classify(err);

        assertThat(e.getMessage()).isEqualTo("Source orders (db:3306) ended the binlog stream at binlog.000001:1934: "
                + err);
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void undecodableBytesAreNotRetriedAndKeepTheCause() {
        IllegalStateException cause = new IllegalStateException("row image shorter than its columns");

        SourceException e = ReplicationErrors.undecodable("Source orders (db:3306)", AT, cause);

        assertThat(e.getMessage()).isEqualTo("Source orders (db:3306): failed reading the binlog after"
                + " binlog.000001:1934: java.lang.IllegalStateException: row image shorter than its columns");
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.isRetryable()).isFalse();
    }

    private static SourceException classify(ErrPacket err) {
        return ReplicationErrors.classify(err, "orders", "db:3306", "'canal'@'%'", AT);
    }
}
