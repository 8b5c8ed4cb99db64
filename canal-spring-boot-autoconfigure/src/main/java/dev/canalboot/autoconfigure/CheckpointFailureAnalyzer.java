package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.CheckpointException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a checkpoint store that cannot be used at start-up (directory not writable, table not creatable,
 * stored checkpoint unreadable). The exception's message names the store and what to change.
 */
class CheckpointFailureAnalyzer extends AbstractFailureAnalyzer<CheckpointException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CheckpointException cause) {
        return new FailureAnalysis("The checkpoint store cannot be used:\n\n    " + cause.getMessage(),
                "Correct canal.checkpoint.* (store, file.directory, jdbc.table) as the message says, or set "
                        + "canal.checkpoint.store=none to run without checkpoints.", cause);
    }
}
