package dev.canalboot.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.util.List;
import java.util.Objects;

/** Analyzes a start-up failure with every FailureAnalyzer registered in spring.factories, as Spring Boot does. */
final class FailureAnalysisSupport {

    private FailureAnalysisSupport() {
    }

    static FailureAnalysis analyze(Throwable failure) {
        Objects.requireNonNull(failure, "the context was expected to fail");
        // Analyzers that need constructor arguments are skipped: ours and the binding analyzers need none.
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> { }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No failure analyzer explains " + failure, failure);
    }
}
