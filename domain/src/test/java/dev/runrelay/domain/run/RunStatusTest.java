package dev.runrelay.domain.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunStatusTest {

    @Test
    void terminalStatuses_areTheFiveEnds() {
        var terminal = EnumSet.noneOf(RunStatus.class);
        Arrays.stream(RunStatus.values()).filter(RunStatus::isTerminal).forEach(terminal::add);

        assertThat(terminal).containsExactlyInAnyOrder(
                RunStatus.CANCELLED, RunStatus.FAILED, RunStatus.COMPLETED, RunStatus.INCOMPLETE, RunStatus.EXPIRED);
    }

    @Test
    void requiresActionAndCancelling_areNotTerminal() {
        assertThat(RunStatus.REQUIRES_ACTION.isTerminal()).as("a pause for tool outputs").isFalse();
        assertThat(RunStatus.CANCELLING.isTerminal()).as("on its way to cancelled").isFalse();
    }

    @Test
    void wireValues_areTheApis() {
        assertThat(Arrays.stream(RunStatus.values()).map(RunStatus::wireValue)).containsExactly(
                "queued", "in_progress", "requires_action", "cancelling", "cancelled",
                "failed", "completed", "incomplete", "expired");
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void fromWire_readsEveryWireValueBack(RunStatus status) {
        assertThat(RunStatus.fromWire(status.wireValue())).contains(status);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "COMPLETED", "done", "in-progress"})
    void fromWire_unknownValue_isEmpty(String value) {
        assertThat(RunStatus.fromWire(value)).isEmpty();
    }
}
