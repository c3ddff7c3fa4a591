package dev.runrelay.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every provider's {@link dev.runrelay.domain.port.RunPort} promises: the same error code (and
 * field, for an invalid argument) for the same mistake, and the same paging, whichever provider it is.
 * Run once per provider (sandbox, OpenAI Assistants and OpenAI Responses through their fake servers) by a
 * subclass that brings the provider into the state each case needs: the sandbox and the Responses fake
 * keep state and get there by streaming runs; the Assistants fake is scripted, so its subclass scripts
 * the answers the real API gives in that state.
 *
 * <p>Failures are read as the error-handling aspect receives them: through the provider's translator.
 *
 * <p>A missing mandatory argument never reaches any provider: the commands refuse it in their compact
 * constructors ({@code invalid_request} naming the field), so that case is the same on every provider by
 * construction; {@link #aMissingMandatoryArgument_isRefusedBeforeAnyProvider_namingTheField} pins it once
 * per provider anyway, so a provider-specific command cannot loosen it unnoticed.
 */
public abstract class RunPortContract {

    /** A run the provider knows: its thread and its id. */
    public record RunIds(String threadId, String runId) {}

    /** A run waiting for tool outputs, and the calls it waits for. */
    public record WaitingRun(String threadId, String runId, List<String> pendingCallIds) {}

    /** The provider under test, its ports unguarded (the adapters' own contract). */
    protected abstract Provider provider();

    /** A run that has completed. */
    protected abstract RunIds completedRun();

    /** A run waiting for the outputs of at least one function call. */
    protected abstract WaitingRun waitingRun();

    /** A thread holding {@code count} ended runs. */
    protected abstract String threadWithRuns(int count);

    /** A thread the provider knows (no run of id {@code run_missing} in it). */
    protected String knownThread() {
        return completedRun().threadId();
    }

    @Test
    void retrievingAnUnknownRun_ofAKnownThread_isNotFound() {
        String thread = knownThread();

        assertThat(failure(provider().runs().retrieve(new RetrieveRunCommand(thread, "run_missing"))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void retrievingARun_ofAnUnknownThread_isNotFound() {
        assertThat(failure(provider().runs().retrieve(new RetrieveRunCommand("thread_missing", "run_missing"))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void listingTheRuns_ofAnUnknownThread_isNotFound() {
        assertThat(failure(provider().runs().list(new ListRunsCommand("thread_missing", null))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void toolOutputs_forARunThatDoesNotWaitForThem_areAConflict() {
        RunIds run = completedRun();

        assertThat(failure(provider().runs().submitToolOutputs(new SubmitToolOutputsCommand(
                run.threadId(), run.runId(), List.of(new ToolOutput("call_1", "x"))))))
                .isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void cancellingAFinishedRun_isAConflict() {
        RunIds run = completedRun();

        assertThat(failure(provider().runs().cancel(new CancelRunCommand(run.threadId(), run.runId()))))
                .isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void toolOutputs_thatDoNotAnswerThePendingCalls_areInvalid_namingToolOutputs() {
        WaitingRun run = waitingRun();
        assertThat(run.pendingCallIds()).isNotEmpty();

        Throwable failure = failureOf(provider().runs().submitToolOutputs(new SubmitToolOutputsCommand(
                run.threadId(), run.runId(), List.of(new ToolOutput("call_nobody_asked_for", "x")))));

        assertThat(failure).isInstanceOfSatisfying(InvalidRequestException.class,
                invalid -> assertThat(invalid.field()).isEqualTo("toolOutputs"));
    }

    @Test
    void aMissingMandatoryArgument_isRefusedBeforeAnyProvider_namingTheField() {
        String thread = knownThread();

        assertThatThrownBy(() -> provider().runs().retrieve(new RetrieveRunCommand(thread, " ")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("runId"));
        assertThatThrownBy(() -> provider().runs().cancel(new CancelRunCommand(null, "run_1")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("threadId"));
    }

    @Test
    void listingPagesThroughTheRuns_withTruthfulCursors() {
        String thread = threadWithRuns(3);

        Page<Run> first = value(provider().runs().list(new ListRunsCommand(thread,
                new PageRequest(2, SortOrder.DESC, null, null))));
        assertThat(first.data()).hasSize(2);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.firstId()).isEqualTo(first.data().getFirst().id());
        assertThat(first.lastId()).isEqualTo(first.data().getLast().id());

        Page<Run> second = value(provider().runs().list(new ListRunsCommand(thread,
                new PageRequest(2, SortOrder.DESC, first.lastId(), null))));
        assertThat(second.data()).hasSize(1);
        assertThat(second.hasMore()).isFalse();

        var ids = new HashSet<String>();
        first.data().forEach(run -> ids.add(run.id()));
        second.data().forEach(run -> ids.add(run.id()));
        assertThat(ids).as("three different runs over two pages").hasSize(3);
        assertThat(first.data()).allSatisfy(run -> assertThat(run.threadId()).isEqualTo(thread));
        assertThat(second.data().getFirst().status()).isNotIn(RunStatus.QUEUED, RunStatus.IN_PROGRESS);
    }

    /** The code of the failure {@code stage} completes with, as the aspect would hand it on. */
    protected ErrorCode failure(CompletionStage<?> stage) {
        Throwable failure = failureOf(stage);
        assertThat(failure).isInstanceOf(RunRelayException.class);
        return ((RunRelayException) failure).code();
    }

    /** The failure {@code stage} completes with, translated by the provider's translator. */
    protected Throwable failureOf(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(RunStreamPortContract.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (java.util.concurrent.ExecutionException e) {
            return translated(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within " + RunStreamPortContract.TIMEOUT, e);
        }
    }

    protected Throwable translated(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RunRelayException) {
            return cause;
        }
        Throwable raw = cause;
        return provider().errorTranslator().translate(raw).map(Throwable.class::cast).orElse(raw);
    }

    protected static <T> T value(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(RunStreamPortContract.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the provider did not answer", e);
        }
    }
}
