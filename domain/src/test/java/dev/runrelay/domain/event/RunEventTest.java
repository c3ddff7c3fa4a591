package dev.runrelay.domain.event;

import static dev.runrelay.domain.fixtures.TestIds.MESSAGE_ID;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.STEP_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static dev.runrelay.domain.fixtures.TestIds.TOOL_CALL_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.fixtures.TestEvents;
import dev.runrelay.domain.fixtures.TestRuns;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunEventTest {

    @Test
    void runStatusChanged_reportsItsRunsStatus() {
        var event = new RunEvent.RunStatusChanged(TestRuns.aRun().withStatus(RunStatus.REQUIRES_ACTION).build());

        assertThat(event.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
    }

    @Test
    void textDelta_withoutAnnotations_hasAnEmptyList_andCopiesGivenOnes() {
        var annotations = new ArrayList<Annotation>();
        annotations.add(new Annotation(Annotation.Type.FILE_CITATION, "【4:0†source】", "file_1", null, 3, 15));
        var delta = new RunEvent.TextDelta(MESSAGE_ID, 0, "Hi", annotations);

        annotations.clear();

        assertThat(new RunEvent.TextDelta(MESSAGE_ID, 0, "Hi", null).annotations()).isEmpty();
        assertThat(delta.annotations()).hasSize(1);
        assertThat(delta.annotations().getFirst().type().wireValue()).isEqualTo("file_citation");
    }

    @Test
    void fileSearchCalled_withoutResults_hasAnEmptyList() {
        assertThat(new RunEvent.FileSearchCalled(STEP_ID, TOOL_CALL_ID, null).results()).isEmpty();
    }

    @Test
    void requiresAction_keepsAnImmutableCopyOfItsToolCalls() {
        var calls = new ArrayList<>(List.of(new RequiredToolCall(TOOL_CALL_ID, "get_weather", "{}")));
        var event = new RunEvent.RequiresAction(THREAD_ID, RUN_ID, calls);

        calls.clear();

        assertThat(event.toolCalls()).hasSize(1);
        assertThatThrownBy(() -> event.toolCalls().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyEventKind_canBeHandledByAnExhaustiveSwitch() {
        assertThat(TestEvents.aCompletedTextRun("Hel", "lo").stream().map(RunEventTest::describe))
                .startsWith("status queued", "status in_progress")
                .contains("text Hel", "text lo")
                .endsWith("end completed");
    }

    /** No default branch: adding an event kind without handling it here fails to compile. */
    private static String describe(RunEvent event) {
        return switch (event) {
            case RunEvent.ThreadCreated e -> "thread " + e.threadId();
            case RunEvent.RunStatusChanged e -> "status " + e.status().wireValue();
            case RunEvent.StepCreated e -> "step created";
            case RunEvent.StepCompleted e -> "step completed";
            case RunEvent.MessageCreated e -> "message created";
            case RunEvent.MessageCompleted e -> "message completed";
            case RunEvent.TextCreated e -> "text created";
            case RunEvent.TextDelta e -> "text " + e.text();
            case RunEvent.ToolCallCreated e -> "tool call";
            case RunEvent.CodeInputDelta e -> "code input";
            case RunEvent.CodeOutputAdded e -> "code output";
            case RunEvent.FunctionArgumentsDelta e -> "function arguments";
            case RunEvent.FileSearchCalled e -> "file search";
            case RunEvent.RequiresAction e -> "requires action";
            case RunEvent.UsageReported e -> "usage";
            case RunEvent.StreamEnded e -> "end " + e.finalStatus().wireValue();
        };
    }
}
