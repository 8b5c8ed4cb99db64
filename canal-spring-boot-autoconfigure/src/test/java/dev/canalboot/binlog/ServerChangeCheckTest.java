package dev.canalboot.binlog;

import dev.canalboot.checkpoint.ServerIdentity;
import dev.canalboot.source.SourceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which resumes {@link ServerChangeCheck} lets through, and what it says about the others. */
class ServerChangeCheckTest {

    static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String B = "7a2b1c4d-0000-11e1-9e33-c80aa9429562";
    static final ServerIdentity SERVER_A = ServerIdentity.mysql(A, 1);
    static final ServerIdentity SERVER_B = ServerIdentity.mysql(B, 1);

    static BinlogCheckpoint filePosition() {
        return new BinlogCheckpoint("binlog.000001", 1934, null, null);
    }

    static BinlogCheckpoint mysqlGtids(String set) {
        return new BinlogCheckpoint("binlog.000001", 1934, set, null);
    }

    static SourceException check(BinlogCheckpoint from, ServerIdentity recorded, ServerIdentity actual, String gtids) {
        return ServerChangeCheck.check("Source orders (db:3306)", from, recorded,
                new ServerChangeCheck.ServerFacts(actual, actual.serverUuid() == null, gtids),
                "file /app/canal-checkpoints/orders.checkpoint");
    }

    @Test
    void aFilePositionResumesOnlyOnTheServerItWasReadOn() {
        assertThat(check(filePosition(), SERVER_A, SERVER_A, "")).isNull();
        assertThat(check(filePosition(), null, SERVER_A, "")).as("an old checkpoint records no server").isNull();

        SourceException e = check(filePosition(), SERVER_A, SERVER_B, "");
        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage())
                .contains("Source orders (db:3306)")
                .contains("binlog.000001:1934")
                .contains("another server (MySQL server_uuid " + A + ", server_id 1)")
                .contains("the one answering now (MySQL server_uuid " + B + ", server_id 1)")
                .contains("re-created")
                .contains("no GTIDs")
                .contains("delete file /app/canal-checkpoints/orders.checkpoint")
                .contains("checkpoint-wins to false");
    }

    @Test
    void gtidsCarryAResumeToAnotherServerThatExecutedThemAll() {
        BinlogCheckpoint from = mysqlGtids(A + ":1-42");
        assertThat(check(from, SERVER_A, SERVER_B, A + ":1-50," + B + ":1-3"))
                .as("a promoted replica of the same topology").isNull();

        SourceException e = check(from, SERVER_A, SERVER_B, B + ":1-3");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("has not executed " + A + ":1-42")
                .contains("not a failover within one replication topology");
        assertThat(check(from, SERVER_A, SERVER_B, A + ":1-40," + B + ":1-3").getMessage())
                .as("a replica that had not caught up").contains("has not executed " + A + ":41-42");
    }

    @Test
    void theSameServerWithoutTheTransactionsOfThePositionIsRefusedToo() {
        SourceException e = check(mysqlGtids(A + ":1-42"), SERVER_A, SERVER_A, A + ":1-10");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("holds transactions this server").contains(A + ":11-42")
                .contains("restored from a backup");
    }

    @Test
    void mariaDbComparesTheSequenceNumberPerDomainAndTheProduct() {
        ServerIdentity one = ServerIdentity.mariaDb(1, 0);
        ServerIdentity two = ServerIdentity.mariaDb(2, 0);
        BinlogCheckpoint from = new BinlogCheckpoint("mariadb-bin.000001", 900, null, "0-1-42,1-1-7");
        assertThat(check(from, one, one, "0-1-42,1-1-9")).isNull();
        assertThat(check(from, one, two, "0-2-50,1-1-7")).as("failover: the new primary went on").isNull();

        assertThat(check(from, one, one, "0-1-5").getMessage())
                .as("re-created with the same server_id: only its GTID position tells")
                .contains("0-1-42,1-1-7").contains("the server's binlog is at 0-1-5");
        assertThat(check(from, one, two, "0-2-42,1-1-7").getMessage())
                .as("the same sequence number from another server is another transaction").contains("0-1-42");
        assertThat(check(from, SERVER_A, SERVER_A, "").getMessage()).contains("and the server is MySQL");
    }
}
