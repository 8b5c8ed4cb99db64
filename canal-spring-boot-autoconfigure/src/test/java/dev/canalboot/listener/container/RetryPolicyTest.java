package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTest {

    @Test
    void delayGrowsByTheMultiplierUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), 3.0, Duration.ofMillis(1000));
        assertThat(policy.delayMillisAfter(1)).isEqualTo(100);
        assertThat(policy.delayMillisAfter(2)).isEqualTo(300);
        assertThat(policy.delayMillisAfter(3)).isEqualTo(900);
        assertThat(policy.delayMillisAfter(4)).isEqualTo(1000);
        assertThat(policy.delayMillisAfter(50)).isEqualTo(1000);
    }

    @Test
    void invalidSettingsNameTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 1.0, Duration.ZERO))
                .withMessageContaining("maxAttempts");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)))
                .withMessageContaining("multiplier");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(5), 2.0, Duration.ofSeconds(1)))
                .withMessageContaining("maxInterval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(-1), 2.0, Duration.ofSeconds(1)))
                .withMessageContaining("initialInterval");
    }

    @Test
    void noRetryMeansOneAttempt() {
        assertThat(RetryPolicy.noRetry().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.DEFAULT.maxAttempts()).isEqualTo(3);
    }

    @Test
    void backOffGivesOneWaitPerRetryThenStops() {
        BackOffExecution execution = new RetryPolicy(3, Duration.ofMillis(100), 3.0, Duration.ofMillis(200))
                .toBackOff().start();
        assertThat(execution.nextBackOff()).isEqualTo(100);
        assertThat(execution.nextBackOff()).isEqualTo(200);
        assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
        assertThat(RetryPolicy.noRetry().toBackOff().start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }
}
