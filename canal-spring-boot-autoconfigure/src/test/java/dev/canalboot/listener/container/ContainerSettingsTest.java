package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;
import org.springframework.core.task.SyncTaskExecutor;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The containers' defaults, their validation, and that each {@code with...} changes its own setting only. */
class ContainerSettingsTest {

    @Test
    void defaults() {
        ContainerSettings d = ContainerSettings.defaults();
        assertThat(d.pollTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(d.sourceRetryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(d.observer()).isSameAs(ContainerObserver.NOOP);
        assertThat(d.executor()).isNull();
        assertThat(d.autoStartup()).isTrue();
        assertThat(d.startPaused()).isFalse();
        assertThat(d.concurrency()).isEqualTo(ListenerConcurrency.SERIAL);
    }

    @Test
    void eachWithChangesOnlyItsOwnSetting() {
        ContainerSettings d = ContainerSettings.defaults();
        RetryPolicy once = RetryPolicy.noRetry();
        ContainerObserver observer = new ContainerObserver() {
        };
        SyncTaskExecutor executor = new SyncTaskExecutor();
        ListenerConcurrency four = new ListenerConcurrency(4, ListenerConcurrency.Ordering.KEY, 8);
        RetryClassifier classifier = RetryClassifier.retryAll();
        ListenerErrorHandler handler = ListenerErrorHandler.stopContainer();

        assertThat(d.withPollTimeout(Duration.ofMillis(5))).isEqualTo(new ContainerSettings(Duration.ofMillis(5),
                d.shutdownTimeout(), d.retryPolicy(), d.retryClassifier(), d.errorHandler(), d.sourceRetryPolicy(),
                d.observer(), null, true, false, d.concurrency()));
        ContainerSettings all = d.withShutdownTimeout(Duration.ZERO).withRetryPolicy(once)
                .withRetryClassifier(classifier).withErrorHandler(handler).withSourceRetryPolicy(once)
                .withObserver(observer).withExecutor(executor).withAutoStartup(false).withStartPaused(true)
                .withConcurrency(four);
        assertThat(all).isEqualTo(new ContainerSettings(d.pollTimeout(), Duration.ZERO, once, classifier, handler,
                once, observer, executor, false, true, four));
        assertThat(d.withSourceRetryPolicy(once).retryPolicy()).as("the listeners' policy stays")
                .isEqualTo(RetryPolicy.DEFAULT);
        assertThat(d.withRetryPolicy(once).sourceRetryPolicy()).as("the source's policy stays")
                .isEqualTo(RetryPolicy.DEFAULT);
        assertThat(d.withStartPaused(true).autoStartup()).isTrue();
        assertThat(d).as("immutable").isEqualTo(ContainerSettings.defaults());
    }

    @Test
    void aPollTimeoutMustBePositive() {
        assertThatThrownBy(() -> ContainerSettings.defaults().withPollTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pollTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollTimeout must be positive");
    }

    @Test
    void aShutdownTimeoutMayBeZeroButNotNegative() {
        assertThat(ContainerSettings.defaults().withShutdownTimeout(Duration.ZERO).shutdownTimeout()).isZero();
        assertThatThrownBy(() -> ContainerSettings.defaults().withShutdownTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shutdownTimeout must not be negative, was PT-1S");
    }

    @Test
    void aMissingSettingIsNamed() {
        assertThatThrownBy(() -> ContainerSettings.defaults().withObserver(null))
                .isInstanceOf(NullPointerException.class).hasMessage("observer");
        assertThatThrownBy(() -> ContainerSettings.defaults().withConcurrency(null))
                .isInstanceOf(NullPointerException.class).hasMessage("concurrency");
        assertThat(ContainerSettings.defaults().withExecutor(null).executor()).as("no executor is allowed").isNull();
    }
}
