package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SourceRetryTest {

    @Test
    void consecutiveFailuresBackOffUntilTheAttemptsAreUsedUp() {
        SourceRetry retry = new SourceRetry(new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)));
        assertThat(retry.failed()).isEqualTo(10);
        assertThat(retry.failed()).isEqualTo(20);
        assertThat(retry.failed()).as("the third failed poll is the last attempt").isEqualTo(BackOffExecution.STOP);
        assertThat(retry.failures()).isEqualTo(3);
        assertThat(retry.maxAttempts()).isEqualTo(3);
    }

    @Test
    void aSuccessfulPollStartsTheNextFailureFromTheBeginning() {
        SourceRetry retry = new SourceRetry(new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)));
        retry.failed();
        retry.failed();
        retry.succeeded();
        assertThat(retry.failures()).isZero();
        assertThat(retry.failed()).isEqualTo(10);
    }

    @Test
    void oneAttemptMeansTheFirstFailureIsFinal() {
        SourceRetry retry = new SourceRetry(RetryPolicy.noRetry());
        assertThat(retry.failed()).isEqualTo(BackOffExecution.STOP);
    }
}
