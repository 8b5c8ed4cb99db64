package dev.canalboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidCanalConfigurationException}: the property, the problem and the fix. */
class InvalidCanalConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCanalConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCanalConfigurationException cause) {
        String description = "Invalid change data capture configuration"
                + (cause.getProperty() == null ? "" : " at '" + cause.getProperty() + "'") + ":\n\n    "
                + cause.getProblem();
        return new FailureAnalysis(description, cause.getAction(), cause);
    }
}
