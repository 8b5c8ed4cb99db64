package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.TypeDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class RetryClassifierTest {

    @Test
    void retryAllRetriesEverything() {
        assertThat(RetryClassifier.retryAll().isRetryable(new IllegalStateException())).isTrue();
        assertThat(RetryClassifier.notRetrying().isRetryable(new ClassCastException())).isTrue();
    }

    @Test
    void listedTypesAndTheirSubclassesAreNotRetried() {
        RetryClassifier classifier = RetryClassifier.notRetrying(IllegalArgumentException.class);
        assertThat(classifier.isRetryable(new IllegalArgumentException("bad"))).isFalse();
        assertThat(classifier.isRetryable(new NumberFormatException("bad"))).as("a subclass").isFalse();
        assertThat(classifier.isRetryable(new IllegalStateException("busy"))).isTrue();
    }

    @Test
    void aListedTypeAnywhereInTheCauseChainCounts() {
        RetryClassifier classifier = RetryClassifier.notRetrying(ConversionFailedException.class);
        ConversionFailedException conversion = new ConversionFailedException(TypeDescriptor.valueOf(String.class),
                TypeDescriptor.valueOf(Integer.class), "x", new NumberFormatException("x"));
        assertThat(classifier.isRetryable(new RuntimeException("wrapped", new IllegalStateException(conversion))))
                .isFalse();
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(RetryClassifier.notRetrying(ClassCastException.class).isRetryable(a)).isTrue();
    }
}
