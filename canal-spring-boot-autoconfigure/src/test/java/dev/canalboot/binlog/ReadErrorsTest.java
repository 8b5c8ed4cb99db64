package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.ErrPacket;
import dev.canalboot.source.SourceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ERROR 1236 text MySQL 8.0.31, MySQL 8.4+ and MariaDB 11.4.5 send to a replica (as their binaries carry
 * them) reaches the user with what it means and what to do.
 */
class ReadErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Could not find first log file name in binary log index file|no longer on the server|earliest or latest",
            "Cannot replicate because the source purged required binary logs. Replicate the missing transactions from elsewhere, or provision a new replica from backup. Consider increasing the source's binary log expiration period. The GTID set sent by the replica is 'x', and the missing transactions are 'y'|no longer on the server|binlog_expire_logs_seconds",
            "Cannot replicate because the master purged required binary logs. Replicate the missing transactions from elsewhere|no longer on the server|delete it",
            "The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has purged binary logs containing GTIDs that the slave requires|no longer on the server|earliest or latest",
            "Could not find GTID state requested by slave in any binlog files. Probably the slave state is too old and required binlog files have been purged.|no longer on the server|earliest or latest",
            "Client requested master to start replication from position > file size|beyond the end of that binlog file|re-created",
            "Client requested source to start replication from position > file size|beyond the end of that binlog file|re-created",
            "Client requested source to start replication from position < 4|does not point at the start of an event|SHOW BINARY LOGS",
            "Invalid pos specified. Requested from pos:99999 is greater than actual file size:1934|beyond the end of that binlog file|re-created",
            "Client requested master to start replication from impossible position|beyond the end of that binlog file|re-created",
            "Binlog has bad magic number;  It's not a binary log file that can be used by this version of MySQL|cannot read its binlog there|mysqlbinlog",
            "bogus data in log event; the first event 'binlog.000001' at 4, the last event read from 'binlog.000001' at 125|does not point at the start of an event|SHOW BINARY LOGS",
            "event read from binlog did not pass crc check|damaged|error log",
            "binlog truncated in the middle of event; consider out of disk space on source|damaged|error log",
            "Could not open log file|missing|PURGE BINARY LOGS",
            "could not find next log; the first event 'binlog.000001' at 4|missing|earliest or latest",
            "Replica has more GTIDs than the source has, using the source's SERVER_UUID. This may indicate that the the last binary log file was truncated or lost|never wrote to its binlog|reconcile",
            "Slave has more GTIDs than the master has, using the master's SERVER_UUID.|not the one the position comes from|reconcile",
            "Error: connecting slave requested to start from GTID 0-1-42, which is not in the master's binlog|never wrote to its binlog|re-created",
            "Error: connecting slave requested to start from GTID 0-1-42, which is not in the master's binlog. Since the master's binlog contains GTIDs with higher sequence numbers, it probably means that the slave has diverged due to executing extra erroneous transactions|never wrote to its binlog|earliest or latest",
            "The binlog on the master is missing the GTID 0-1-42 requested by the slave (even though a subsequent sequence number does exist), and GTID strict mode is enabled|never wrote to its binlog|earliest or latest",
            "Cannot replicate anonymous transaction when AUTO_POSITION = 1, at file ./binlog.000002, position 157.|mixes transactions with and without GTIDs|gtid_mode=ON",
            "Cannot replicate GTID-transaction when @@GLOBAL.GTID_MODE = OFF, at file ./binlog.000002, position 157.|mixes transactions with and without GTIDs|gtid_mode=ON",
            "The replication sender thread cannot start in AUTO_POSITION mode: this server has GTID_MODE = OFF instead of ON.|does not run with gtid_mode=ON|earliest or latest",
            "log event entry exceeded max_allowed_packet; Increase max_allowed_packet on source; the first event 'binlog.000001'|larger than the server's max_allowed_packet|SET GLOBAL max_allowed_packet",
            "Binary log is not open|binary logging is off|log_bin",
            "Some text a later server version sends|cannot find or read its binlog there|earliest or latest",
    })
    void eachErrorSaysWhatItMeansAndWhatToDo(String serverText, String meaning, String advice) {
        ErrPacket err = new ErrPacket(1236, "HY000", serverText);
        SourceException e = ReplicationErrors.classify(err, "orders", "db:3306", "'canal'@'%'",
                new BinlogCheckpoint("binlog.000001", 1934, null, null));
        assertThat(e.getMessage())
                .startsWith("Source orders (db:3306) cannot send the binlog from binlog.000001:1934")
                .contains(serverText)
                .contains(meaning)
                .contains(advice);
        assertThat(e.isRetryable()).isFalse();
    }
}
