package dev.runrelay.domain.run;

import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.fixtures.TestSteps;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.FileSearchResult;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.ToolCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider snapshots: optional values may be null, collections never are. */
class RunModelTest {

    @Test
    void run_withNullCollectionsAndSettings_hasEmptyOnesAndTheDefaults() {
        var run = new Run(RUN_ID, THREAD_ID, null, RunStatus.QUEUED, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);

        assertThat(run.tools()).isEmpty();
        assertThat(run.metadata()).isEmpty();
        assertThat(run.settings()).isEqualTo(RunSettings.defaults());
    }

    @Test
    void run_copiesItsCollections() {
        var tools = new ArrayList<Tool>(List.of(new Tool.CodeInterpreter()));
        var metadata = new HashMap<>(Map.of("a", "1"));
        var run = new Run(RUN_ID, THREAD_ID, null, RunStatus.QUEUED, null, null, tools, null, null, null, null, null,
                null, null, null, null, null, metadata, null);

        tools.clear();
        metadata.clear();

        assertThat(run.tools()).hasSize(1);
        assertThat(run.metadata()).hasSize(1);
    }

    @Test
    void step_withNullMetadata_hasEmptyMetadata() {
        var step = new RunStep("step_1", RUN_ID, THREAD_ID, null, RunStepType.MESSAGE_CREATION,
                RunStepStatus.IN_PROGRESS, null, null, null, null, null, null, null, null, null);

        assertThat(step.metadata()).isEmpty();
    }

    @Test
    void toolCalls_withNullLists_haveEmptyOnes_andKnowTheirType() {
        var code = new ToolCall.CodeInterpreter("call_1", "print(1)", null);
        var search = new ToolCall.FileSearch("call_2", null);
        var function = new ToolCall.Function("call_3", "f", "{}", null);

        assertThat(code.outputs()).isEmpty();
        assertThat(search.results()).isEmpty();
        assertThat(new FileSearchResult("file_1", "a.pdf", 0.5, null).content()).isEmpty();
        assertThat(List.of(code.type(), search.type(), function.type()))
                .containsExactly(ToolType.CODE_INTERPRETER, ToolType.FILE_SEARCH, ToolType.FUNCTION);
    }

    @Test
    void codeInterpreterCall_keepsLogsAndImagesInOrder() {
        assertThat(TestSteps.aCodeInterpreterCall().outputs())
                .containsExactly(new CodeOutput.Logs("4\n"), new CodeOutput.Image("file_img1"));
    }

    @Test
    void stepWireValues_areTheApis() {
        assertThat(Arrays.stream(RunStepStatus.values()).map(RunStepStatus::wireValue))
                .containsExactly("in_progress", "cancelled", "failed", "completed", "expired");
        assertThat(Arrays.stream(RunStepType.values()).map(RunStepType::wireValue))
                .containsExactly("message_creation", "tool_calls");
    }
}
