package dev.runrelay.domain.shared;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static dev.runrelay.domain.fixtures.TestIds.ASSISTANT_ID;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.STEP_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every id a command carries ends up in a provider URL path, so each one is checked the same way:
 * present, and only letters, digits, '_' and '-' (1..128), so "../x" can never walk the path.
 */
class IdValidationTest {

    /** One id field of one command: its name and how to build the command with a given value in it. */
    record IdField(String field, Function<String, Object> build) {
        @Override
        public String toString() {
            return field;
        }
    }

    static final List<IdField> ID_FIELDS = List.of(
            new IdField("CreateRunCommand.threadId", id -> new CreateRunCommand(id, ASSISTANT_ID, null, null)),
            new IdField("CreateRunCommand.assistantId", id -> new CreateRunCommand(THREAD_ID, id, null, null)),
            new IdField("CreateThreadAndRunCommand.assistantId",
                    id -> new CreateThreadAndRunCommand(id, null, null, null)),
            new IdField("RetrieveRunCommand.threadId", id -> new RetrieveRunCommand(id, RUN_ID)),
            new IdField("RetrieveRunCommand.runId", id -> new RetrieveRunCommand(THREAD_ID, id)),
            new IdField("ListRunsCommand.threadId", id -> new ListRunsCommand(id, null)),
            new IdField("UpdateRunCommand.threadId", id -> new UpdateRunCommand(id, RUN_ID, Map.of())),
            new IdField("UpdateRunCommand.runId", id -> new UpdateRunCommand(THREAD_ID, id, Map.of())),
            new IdField("CancelRunCommand.threadId", id -> new CancelRunCommand(id, RUN_ID)),
            new IdField("CancelRunCommand.runId", id -> new CancelRunCommand(THREAD_ID, id)),
            new IdField("SubmitToolOutputsCommand.threadId",
                    id -> new SubmitToolOutputsCommand(id, RUN_ID, List.of(new ToolOutput("call_1", "ok")))),
            new IdField("SubmitToolOutputsCommand.runId",
                    id -> new SubmitToolOutputsCommand(THREAD_ID, id, List.of(new ToolOutput("call_1", "ok")))),
            new IdField("ToolOutput.toolCallId", id -> new ToolOutput(id, "ok")),
            new IdField("ListRunStepsCommand.threadId", id -> new ListRunStepsCommand(id, RUN_ID, null, null)),
            new IdField("ListRunStepsCommand.runId", id -> new ListRunStepsCommand(THREAD_ID, id, null, null)),
            new IdField("RetrieveRunStepCommand.threadId",
                    id -> new RetrieveRunStepCommand(id, RUN_ID, STEP_ID, null)),
            new IdField("RetrieveRunStepCommand.runId",
                    id -> new RetrieveRunStepCommand(THREAD_ID, id, STEP_ID, null)),
            new IdField("RetrieveRunStepCommand.stepId",
                    id -> new RetrieveRunStepCommand(THREAD_ID, RUN_ID, id, null)),
            new IdField("PageRequest.after", id -> new PageRequest(20, SortOrder.DESC, id, null)),
            new IdField("PageRequest.before", id -> new PageRequest(20, SortOrder.DESC, null, id)));

    static final List<String> MALFORMED_IDS = List.of(
            "../x", "run/1", "run 1", "run%2F1", "run?x=1", "run#1", "run.1", "rün_1", "run_1\n", "x".repeat(129));

    static Stream<Arguments> malformedIds() {
        return ID_FIELDS.stream().flatMap(field -> MALFORMED_IDS.stream().map(id -> Arguments.of(field, id)));
    }

    static Stream<Arguments> missingIds() {
        return ID_FIELDS.stream()
                .filter(field -> !field.field().startsWith("PageRequest."))
                .flatMap(field -> Stream.of(null, "", "   ").map(id -> Arguments.of(field, id)));
    }

    static Stream<Arguments> wellFormedIds() {
        return ID_FIELDS.stream().flatMap(field -> Stream.of("a", "run_AZaz09-_", "x".repeat(128))
                .map(id -> Arguments.of(field, id)));
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("malformedIds")
    void malformedId_isRejected_namingTheField(IdField field, String id) {
        assertInvalidRequest(() -> field.build().apply(id), fieldName(field));
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("missingIds")
    void missingId_isRejected_namingTheField(IdField field, String id) {
        assertInvalidRequest(() -> field.build().apply(id), fieldName(field));
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("wellFormedIds")
    void wellFormedId_upTo128Characters_isAccepted(IdField field, String id) {
        assertThatCode(() -> field.build().apply(id)).doesNotThrowAnyException();
    }

    private static String fieldName(IdField field) {
        return field.field().substring(field.field().indexOf('.') + 1);
    }
}
