package dev.runrelay.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.RunRelayException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void aTerminalStatusIsNeverLeft(RunStatus terminal) {
        if (!terminal.isTerminal()) {
            return;
        }
        for (RunStatus next : RunStatus.values()) {
            assertThat(RunLifecycle.canMove(terminal, next)).as("%s -> %s", terminal, next).isEqualTo(next == terminal);
        }
    }

    @Test
    void legalMoves() {
        assertThat(RunLifecycle.canMove(RunStatus.QUEUED, RunStatus.IN_PROGRESS)).isTrue();
        assertThat(RunLifecycle.canMove(RunStatus.REQUIRES_ACTION, RunStatus.QUEUED)).isTrue();
        assertThat(RunLifecycle.canMove(RunStatus.CANCELLING, RunStatus.IN_PROGRESS)).isFalse();
        assertThat(RunLifecycle.canMove(RunStatus.IN_PROGRESS, RunStatus.QUEUED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void oneActiveRunPerThread(RunStatus status) {
        if (status.isTerminal()) {
            assertThatCode(() -> RunLifecycle.ensureNoActiveRun("t", "r", status)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RunLifecycle.ensureNoActiveRun("t", "r", status))
                    .isInstanceOfSatisfying(RunRelayException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                        assertThat(e.getMessage()).contains("already has an active run r");
                    });
        }
    }

    @Test
    void requiresActionExpiresAtItsDeadline() {
        assertThat(RunLifecycle.isOverdue(RunStatus.REQUIRES_ACTION, NOW, NOW)).isTrue();
        assertThat(RunLifecycle.isOverdue(RunStatus.REQUIRES_ACTION, NOW.plusSeconds(1), NOW)).isFalse();
        assertThat(RunLifecycle.isOverdue(RunStatus.IN_PROGRESS, NOW.minusSeconds(1), NOW)).isFalse();
        assertThat(RunLifecycle.isOverdue(RunStatus.REQUIRES_ACTION, null, NOW)).isFalse();
    }

    @Test
    void toolOutputsMustAnswerExactlyThePendingCalls() {
        assertThatCode(() -> RunLifecycle.ensureAcceptsToolOutputs("r", RunStatus.REQUIRES_ACTION,
                List.of("a", "b"), List.of("b", "a"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RunLifecycle.ensureAcceptsToolOutputs("r", RunStatus.REQUIRES_ACTION,
                List.of("a", "b"), List.of("a")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("toolOutputs");
                    assertThat(e.getMessage()).contains("missing b");
                });
        assertThatThrownBy(() -> RunLifecycle.ensureAcceptsToolOutputs("r", RunStatus.REQUIRES_ACTION,
                List.of("a"), List.of("a", "x")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("does not wait for tool call x"));
        assertThatThrownBy(() -> RunLifecycle.ensureAcceptsToolOutputs("r", RunStatus.REQUIRES_ACTION,
                List.of("a"), List.of("a", "a")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("more than once"));
    }

    @Test
    void onlyAWaitingRunTakesOutputs() {
        assertThatThrownBy(() -> RunLifecycle.ensureAcceptsToolOutputs("r", RunStatus.QUEUED, List.of("a"),
                List.of("a")))
                .isInstanceOfSatisfying(RunRelayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void aTerminalRunIsNotCancellable() {
        assertThatThrownBy(() -> RunLifecycle.ensureCancellable("r", RunStatus.COMPLETED))
                .isInstanceOfSatisfying(RunRelayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatCode(() -> RunLifecycle.ensureCancellable("r", RunStatus.CANCELLING)).doesNotThrowAnyException();
    }
}
