package dev.canalboot.source;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceLifecycleTest {

    private final SourceLifecycle lifecycle = new SourceLifecycle("Source orders",
            ReconnectPolicy.limited(Duration.ofMillis(100), Duration.ofMillis(300), 3));

    @Test
    void aFirstStartIsNoRestartAndASecondOneClosesThePreviousRunFirst() {
        List<String> closed = new ArrayList<>();
        assertThat(lifecycle.state()).isEqualTo(SourceState.IDLE);
        assertThat(lifecycle.beginStart(() -> closed.add("run 1"))).isFalse();
        assertThat(closed).isEmpty();
        assertThat(lifecycle.state()).isEqualTo(SourceState.CONNECTING);
        assertThat(lifecycle.close()).isTrue();
        assertThat(lifecycle.beginStart(() -> closed.add("run 1"))).isTrue();
        assertThat(closed).containsExactly("run 1");
        assertThat(lifecycle.isClosed()).isFalse();
    }

    @Test
    void aRunningSourceCannotStartAgain() {
        lifecycle.beginStart(() -> { });
        lifecycle.connected();
        assertThatThrownBy(() -> lifecycle.beginStart(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessage("Source orders is CONNECTED; close it before starting it again");
    }

    @Test
    void reconnectAttemptsGrowTheWaitUntilThePolicyIsUsedUp() {
        lifecycle.beginStart(() -> { });
        SourceLifecycle.Reconnect first = lifecycle.reconnectAfterFailure();
        assertThat(first.delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(first.describe()).isEqualTo("attempt 1 of 3");
        assertThat(lifecycle.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(lifecycle.reconnectAfterFailure().delay()).isEqualTo(Duration.ofMillis(200));
        assertThat(lifecycle.reconnectAfterFailure().delay()).isEqualTo(Duration.ofMillis(300));
        assertThat(lifecycle.reconnectAfterFailure().exhausted()).isTrue();
    }

    @Test
    void aSucceededAttemptCountsTheNextLossFromTheFirstAttempt() {
        lifecycle.beginStart(() -> { });
        lifecycle.reconnectAfterFailure();
        lifecycle.reconnectAfterFailure();
        lifecycle.connected();
        lifecycle.attemptSucceeded();
        assertThat(lifecycle.reconnectAfterFailure().attempt()).isEqualTo(1);
    }

    @Test
    void aFailureIsKeptAfterCloseUntilTheNextStart() {
        lifecycle.beginStart(() -> { });
        SourceException error = new SourceException("Source orders: access denied");
        assertThat(lifecycle.fail(error)).isTrue();
        assertThat(lifecycle.fail(new SourceException("later"))).as("the first failure stays").isFalse();
        assertThatThrownBy(lifecycle::throwIfFailed).isSameAs(error);
        assertThat(lifecycle.reconnectAfterFailure()).as("a failed run does not reconnect").isNull();
        lifecycle.close();
        assertThat(lifecycle.state()).isEqualTo(SourceState.FAILED);
        assertThat(lifecycle.lastError()).isSameAs(error);
        lifecycle.beginStart(() -> { });
        assertThat(lifecycle.lastError()).isNull();
        assertThat(lifecycle.state()).isEqualTo(SourceState.CONNECTING);
    }

    @Test
    void aClosedRunNeitherFailsNorReconnectsAndCannotBePolled() {
        lifecycle.beginStart(() -> { });
        assertThat(lifecycle.close()).isTrue();
        assertThat(lifecycle.close()).as("twice").isFalse();
        assertThat(lifecycle.state()).isEqualTo(SourceState.STOPPED);
        assertThat(lifecycle.fail(new SourceException("late"))).isFalse();
        assertThat(lifecycle.reconnectAfterFailure()).isNull();
        assertThat(lifecycle.reconnectingNow()).isFalse();
        assertThat(lifecycle.connected()).isFalse();
        assertThatThrownBy(lifecycle::checkOpen).isInstanceOf(IllegalStateException.class)
                .hasMessage("Source orders is closed; start it again to poll");
    }

    @Test
    void theGiveUpErrorNamesTheSourceTheTargetTheLimitAndTheLastError() {
        SourceException last = new SourceException("connection refused", null, true);
        SourceException gaveUp = lifecycle.gaveUp("db1:3306", last);
        assertThat(gaveUp).hasMessage("Source orders gave up reconnecting to db1:3306 after 3 attempts;"
                + " last error: connection refused").hasCause(last);
        assertThat(gaveUp.isRetryable()).isFalse();
    }
}
