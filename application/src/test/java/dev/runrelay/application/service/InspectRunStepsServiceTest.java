package dev.runrelay.application.service;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.STEP_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.fixtures.TestCommands;
import dev.runrelay.domain.fixtures.TestSteps;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.StepInclude;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InspectRunStepsServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryRunStepPort steps = new InMemoryRunStepPort()
            .with(TestSteps.aMessageCreationStep().build())
            .with(TestSteps.aToolCallsStep().withId("step_2").build());
    private final InspectRunStepsService service = new InspectRunStepsService(steps);

    @Test
    void listRunSteps_returnsTheProvidersPage() {
        var page = service.listRunSteps(TestCommands.aListRunStepsCommand()).toCompletableFuture();

        assertThat(page).succeedsWithin(TIMEOUT)
                .satisfies(p -> assertThat(p.data()).extracting(s -> s.id()).containsExactly(STEP_ID, "step_2"));
        assertThat(steps.received).containsExactly(TestCommands.aListRunStepsCommand());
    }

    @Test
    void retrieveRunStep_passesTheIncludeOn() {
        var command = new RetrieveRunStepCommand(
                THREAD_ID, RUN_ID, "step_2", Set.of(StepInclude.FILE_SEARCH_RESULT_CONTENT));

        var step = service.retrieveRunStep(command).toCompletableFuture();

        assertThat(step).succeedsWithin(TIMEOUT).satisfies(s -> assertThat(s.type()).isEqualTo(RunStepType.TOOL_CALLS));
        assertThat(steps.received).containsExactly(command);
    }

    @Test
    void givenUnknownStep_retrieveRunStep_failsWithNotFound() {
        var step = service.retrieveRunStep(new RetrieveRunStepCommand(THREAD_ID, RUN_ID, "step_x", null))
                .toCompletableFuture();

        assertThat(step).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RunRelayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void nullCommand_isRefusedNamingTheCommand_andTheProviderIsNotCalled() {
        assertInvalidRequest(() -> service.listRunSteps(null), "command");
        assertInvalidRequest(() -> service.retrieveRunStep(null), "command");

        assertThat(steps.received).isEmpty();
    }

    @Test
    void needsARunStepPort() {
        assertThatNullPointerException().isThrownBy(() -> new InspectRunStepsService(null)).withMessage("steps");
    }
}
