package dev.canalboot.autoconfigure;

import dev.canalboot.listener.ListenerDeclarationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a misdeclared {@code @CanalListener}: which listener, what is wrong, what to change. */
class ListenerDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<ListenerDeclarationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ListenerDeclarationException cause) {
        String description = "A @CanalListener cannot be used:\n\n    " + cause.getMessage();
        String message = cause.getMessage();
        String action;
        if (message.contains("is unknown; configured sources are")) {
            action = "Set source = \"...\" on " + cause.getListener() + " to one of the configured sources, or "
                    + "configure the missing source under canal.sources.<name> (canal.source is the source "
                    + "named 'default').";
        } else {
            action = "Correct the declaration of " + cause.getListener()
                    + " (see the @CanalListener javadoc for the supported tables, parameters and attributes).";
        }
        return new FailureAnalysis(description, action, cause);
    }
}
