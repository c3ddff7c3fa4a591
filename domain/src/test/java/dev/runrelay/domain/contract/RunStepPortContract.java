package dev.runrelay.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.contract.RunPortContract.RunIds;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.StepDetails;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every provider's {@link dev.runrelay.domain.port.RunStepPort} promises: a completed text run
 * shows the step that created its message, the same {@code not_found} for an unknown run or step, and
 * the same paging. Run once per provider like {@link RunPortContract}; failures are read through the
 * provider's translator, as the error-handling aspect receives them.
 */
public abstract class RunStepPortContract {

    /** The provider under test, its ports unguarded. */
    protected abstract Provider provider();

    /** A completed run whose answer is one text message. */
    protected abstract RunIds completedTextRun();

    @Test
    void aCompletedTextRun_showsTheCompletedStepThatCreatedItsMessage() {
        RunIds run = completedTextRun();

        Page<RunStep> steps = value(provider().steps().list(new ListRunStepsCommand(run.threadId(), run.runId(), null, Set.of())));

        RunStep created = steps.data().stream()
                .filter(step -> step.details() instanceof StepDetails.MessageCreation)
                .findFirst().orElseThrow(() -> new AssertionError("no message_creation step in " + steps.data()));
        assertThat(created.status()).isEqualTo(RunStepStatus.COMPLETED);
        assertThat(created.runId()).isEqualTo(run.runId());
        assertThat(created.threadId()).isEqualTo(run.threadId());
        assertThat(((StepDetails.MessageCreation) created.details()).messageId()).isNotBlank();

        RunStep retrieved = value(provider().steps().retrieve(
                new RetrieveRunStepCommand(run.threadId(), run.runId(), created.id(), Set.of())));
        assertThat(retrieved.id()).isEqualTo(created.id());
        assertThat(retrieved.details()).isEqualTo(created.details());
    }

    @Test
    void aCompletedTextRun_listsItsFinishedAnswer() {
        RunIds run = completedTextRun();

        List<Message> messages = value(provider().steps().listMessages(new ListRunMessagesCommand(run.threadId(), run.runId())));

        assertThat(messages).isNotEmpty().allSatisfy(message -> {
            assertThat(message.runId()).isEqualTo(run.runId());
            assertThat(message.threadId()).isEqualTo(run.threadId());
            assertThat(message.text()).isNotBlank();
            assertThat(message.incomplete()).isFalse();
        });
    }

    @Test
    void theMessagesOfAnUnknownRun_areNotFound() {
        RunIds run = completedTextRun();

        assertThat(failure(provider().steps().listMessages(new ListRunMessagesCommand(run.threadId(), "run_missing"))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void theStepsOfAnUnknownRun_areNotFound() {
        RunIds run = completedTextRun();

        assertThat(failure(provider().steps().list(new ListRunStepsCommand(run.threadId(), "run_missing", null, Set.of()))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void anUnknownStep_ofAKnownRun_isNotFound() {
        RunIds run = completedTextRun();

        assertThat(failure(provider().steps().retrieve(
                new RetrieveRunStepCommand(run.threadId(), run.runId(), "step_missing", Set.of()))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aPageOfOneStep_saysWhetherThereIsMore() {
        RunIds run = completedTextRun();
        Page<RunStep> all = value(provider().steps().list(new ListRunStepsCommand(run.threadId(), run.runId(), null, Set.of())));

        Page<RunStep> first = value(provider().steps().list(new ListRunStepsCommand(run.threadId(), run.runId(),
                new PageRequest(1, SortOrder.ASC, null, null), Set.of())));

        assertThat(first.data()).hasSize(1);
        assertThat(first.hasMore()).isEqualTo(all.data().size() > 1);
        assertThat(first.lastId()).isEqualTo(first.data().getFirst().id());
    }

    protected ErrorCode failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(RunStreamPortContract.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            Throwable failure = cause instanceof RunRelayException ? cause
                    : provider().errorTranslator().translate(cause).map(Throwable.class::cast).orElse(cause);
            assertThat(failure).isInstanceOf(RunRelayException.class);
            return ((RunRelayException) failure).code();
        } catch (Exception e) {
            throw new AssertionError("no answer within " + RunStreamPortContract.TIMEOUT, e);
        }
    }

    protected static <T> T value(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(RunStreamPortContract.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the provider did not answer", e);
        }
    }
}
