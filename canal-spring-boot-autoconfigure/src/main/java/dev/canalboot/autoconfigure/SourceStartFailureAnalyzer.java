package dev.canalboot.autoconfigure;

import dev.canalboot.source.SourceException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.util.Locale;

/** Explains a {@link SourceStartException}: which source, what the server said, which property or setting to fix. */
class SourceStartFailureAnalyzer extends AbstractFailureAnalyzer<SourceStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SourceStartException cause) {
        String prefix = cause.getPropertyPrefix();
        String where = prefix == null ? "" : " (" + prefix + ")";
        String description = "Change data capture source '" + cause.getSourceName() + "'" + where
                + " could not start:\n\n    " + cause.getCause().getMessage();
        String off = " Or set canal.fail-fast=false to start anyway: the source then stays FAILED (health DOWN)"
                + " until it is fixed and restarted.";
        return new FailureAnalysis(description, action(cause.getCause(), prefix == null ? "the source's" : prefix) + off,
                cause);
    }

    /** The fix, by what the server objected to; the source's message above says it in detail. */
    static String action(SourceException error, String prefix) {
        String text = error.getMessage().toLowerCase(Locale.ROOT);
        if (text.contains("lacks a privilege")) {
            return "Grant the user of " + prefix + ".username what the message names (GRANT REPLICATION SLAVE,"
                    + " REPLICATION CLIENT, SELECT ON *.* TO ...), or configure a user that has it.";
        }
        if (text.contains("binlog_format") || text.contains("log_bin") || text.contains("binlog_row_image")) {
            return "Change the server's settings as the message says (SET GLOBAL and the [mysqld] section of my.cnf),"
                    + " or point " + prefix + ".host at a server that writes a row-based binlog.";
        }
        if (text.contains("access denied") || text.contains("authentication")) {
            return "Check " + prefix + ".username and " + prefix + ".password (and that the user may log in from"
                    + " this host).";
        }
        if (text.contains("subscription") || text.contains("destination")) {
            return "Check " + prefix + ".destination: it must name a destination (instance) the Canal server runs.";
        }
        if (text.contains("gtid") || text.contains("binlog to resume from") || text.contains("start")) {
            return "Check " + prefix + ".start (mode, file, position, gtid-set) and the stored checkpoint.";
        }
        return "Correct " + prefix + ".* or the server as the message says.";
    }
}
