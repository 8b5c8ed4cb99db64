package dev.canalboot.autoconfigure;

import dev.canalboot.source.SourceException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/** The action names the property or server setting to fix, by what the server objected to (messages as the sources word them). */
class SourceStartFailureAnalyzerTest {

    static FailureAnalysis analyze(String message) {
        return FailureAnalysisSupport.analyze(new IllegalStateException("Failed to start bean",
                new SourceStartException("default", "canal.source", new SourceException(message))));
    }

    @Test
    void aServerSettingNamesTheServerFix() {
        FailureAnalysis analysis = analyze("Source default (db1:3306): the server writes its binlog in STATEMENT format"
                + " (binlog_format); a change data capture source needs ROW. Run SET GLOBAL binlog_format = ROW ...");
        assertThat(analysis.getDescription()).contains("source 'default' (canal.source) could not start")
                .contains("SET GLOBAL binlog_format = ROW");
        assertThat(analysis.getAction()).contains("[mysqld] section of my.cnf").contains("canal.source.host")
                .contains("canal.fail-fast=false");
    }

    @Test
    void aMissingPrivilegeNamesTheGrant() {
        assertThat(analyze("Source default (db1:3306): user 'canal'@'%' lacks a privilege replication needs: ...")
                .getAction()).contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT").contains("canal.source.username");
    }

    @Test
    void aRefusedLoginNamesUsernameAndPassword() {
        assertThat(analyze("Authentication of canal@db1:3306 failed: ERROR 1045 (28000): Access denied for user"
                + " 'canal'@'10.0.0.1' (using password: YES)").getAction())
                .contains("canal.source.username").contains("canal.source.password");
    }

    @Test
    void anUnknownCanalDestinationNamesTheDestination() {
        assertThat(analyze("Canal source 'default' at canal1:11111, destination 'nope': server rejected the"
                + " subscription: error 400 ...").getAction()).contains("canal.source.destination");
    }
}
