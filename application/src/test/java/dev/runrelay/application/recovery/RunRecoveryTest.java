package dev.runrelay.application.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.ProviderReportedException;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.fixtures.TestRuns;
import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** After any break, the subscriber learns the run's final status before the failure itself. */
class RunRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String THREAD = "thread_1";
    private static final String RUN = "run_1";

    private final ScriptedRuns runs = new ScriptedRuns();
    private final ScriptedMessages steps = new ScriptedMessages();
    /** Waits long enough that a run finishing on the next poll is never cut, however busy the machine. */
    private final RunRecovery recovery = new RunRecovery(runs, steps,
            new RecoverySettings(Duration.ofMillis(20), Duration.ofSeconds(4)));
    /** For the cases about a run that does not finish in time. */
    private final RunRecovery impatient = new RunRecovery(runs, steps,
            new RecoverySettings(Duration.ofMillis(20), Duration.ofMillis(200)));

    @Test
    void givenDropAndTheRunCompletedMeanwhile_theStatusIsCompleted_thenTheFailure() {
        runs.answers.add(run(RunStatus.IN_PROGRESS));
        runs.answers.add(run(RunStatus.COMPLETED));

        Outcome outcome = recover(broken(StreamFailures.interrupted("drop", null, null)), null, null);

        assertThat(outcome.statuses()).containsExactly(RunStatus.IN_PROGRESS, RunStatus.COMPLETED);
        assertThat(outcome.failure().code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED);
        assertThat(runs.cancels).isEmpty();
    }

    @Test
    void givenDropAndTheRunCompletedMeanwhile_itsFinalMessageComesBeforeTheStatus_thenTheFailure() {
        runs.always = run(RunStatus.COMPLETED);
        steps.messages = List.of(message("msg_1", "The whole answer."));

        Outcome outcome = recover(broken(StreamFailures.interrupted("drop", null, null)), null, null);

        List<RunEvent> recovered = outcome.events().subList(2, outcome.events().size());
        assertThat(recovered).hasSize(2);
        assertThat(recovered.getFirst()).isInstanceOfSatisfying(RunEvent.MessageCompleted.class,
                done -> assertThat(done.message().text()).isEqualTo("The whole answer."));
        assertThat(recovered.getLast()).isInstanceOf(RunEvent.RunStatusChanged.class);
        assertThat(outcome.failure().code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED);
        assertThat(steps.asked).containsExactly(RUN);
    }

    @Test
    void aMessageTheSubscriberSawFinished_isNotDeliveredAgain() {
        runs.always = run(RunStatus.COMPLETED);
        Message seen = message("msg_1", "First part.");
        steps.messages = List.of(seen, message("msg_2", "Second part."));
        Flux<RunEvent> stream = Flux.<RunEvent>just(new RunEvent.ThreadCreated(THREAD),
                        new RunEvent.RunStatusChanged(run(RunStatus.IN_PROGRESS)), new RunEvent.MessageCompleted(seen))
                .concatWith(Flux.error(StreamFailures.interrupted("drop", null, null)));

        Outcome outcome = recover(stream, null, null);

        assertThat(outcome.events().stream().filter(RunEvent.MessageCompleted.class::isInstance)
                .map(e -> ((RunEvent.MessageCompleted) e).message().id())).containsExactly("msg_1", "msg_2");
    }

    @Test
    void givenTheMessagesCannotBeRead_theStatusStillGoesOut() {
        runs.always = run(RunStatus.COMPLETED);
        steps.fail = true;

        Outcome outcome = recover(broken(StreamFailures.interrupted("drop", null, null)), null, null);

        assertThat(outcome.statuses()).containsExactly(RunStatus.IN_PROGRESS, RunStatus.COMPLETED);
        assertThat(outcome.events()).noneMatch(RunEvent.MessageCompleted.class::isInstance);
    }

    @Test
    void aRunCancelledByRecovery_deliversNoPartialMessage() {
        runs.always = run(RunStatus.IN_PROGRESS);
        runs.cancelAnswer = run(RunStatus.CANCELLING);
        steps.messages = List.of(message("msg_1", "half an"));

        Outcome outcome = recover(impatient, broken(new RunRelayException(ErrorCode.TIMEOUT, "stall")), null, null);

        assertThat(outcome.events()).noneMatch(RunEvent.MessageCompleted.class::isInstance);
        assertThat(steps.asked).isEmpty();
    }

    @Test
    void givenARunStillGoingPastTheWait_itIsCancelled_andReportedCancelled() {
        runs.always = run(RunStatus.IN_PROGRESS);
        runs.cancelAnswer = run(RunStatus.CANCELLING);

        Outcome outcome = recover(impatient, broken(new RunRelayException(ErrorCode.TIMEOUT, "stall")), null, null);

        assertThat(outcome.statuses()).containsExactly(RunStatus.IN_PROGRESS, RunStatus.CANCELLED);
        assertThat(outcome.failure().code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(runs.cancels).containsExactly(new CancelRunCommand(THREAD, RUN));
        assertThat(runs.retrievals.size()).as("polled within the bounded wait").isBetween(2, 20);
    }

    @Test
    void givenAProviderErrorEvent_theRunsRealStatusFailedWithItsLastError_andTheCodeIsKept() {
        runs.always = TestRuns.aRun().withId(RUN).withThreadId(THREAD).withStatus(RunStatus.FAILED)
                .withLastError(new RunError("server_error", "The server had an error")).build();
        var reported = new ProviderReportedException(ErrorCode.PROVIDER_UNAVAILABLE, "server_error", "m", null, null);

        Outcome outcome = recover(broken(reported), null, null);

        assertThat(outcome.statuses()).containsExactly(RunStatus.IN_PROGRESS, RunStatus.FAILED);
        assertThat(((RunEvent.RunStatusChanged) outcome.events().getLast()).run().lastError().code())
                .isEqualTo("server_error");
        assertThat(outcome.failure()).isSameAs(reported);
    }

    @Test
    void givenARunWaitingForToolOutputs_itIsToldWithItsCalls() {
        runs.always = TestRuns.aRunRequiringAction().withId(RUN).withThreadId(THREAD).build();

        Outcome outcome = recover(broken(StreamFailures.interrupted("drop", null, null)), null, null);

        assertThat(outcome.events().getLast()).isInstanceOf(RunEvent.RequiresAction.class);
        assertThat(runs.cancels).isEmpty();
    }

    @Test
    void givenAFailureBeforeAnyRunExisted_theFailureGoesOnAlone_withoutAskingTheProvider() {
        var refused = new RunRelayException(ErrorCode.RATE_LIMITED, "429");

        Outcome outcome = recover(Flux.error(refused), null, null);

        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.failure()).isSameAs(refused);
        assertThat(runs.retrievals).isEmpty();
    }

    @Test
    void givenTheSubmittedRunsIds_aFailureBeforeAnyEvent_isStillRecovered() {
        runs.always = run(RunStatus.COMPLETED);

        Outcome outcome = recover(Flux.error(StreamFailures.interrupted("drop", null, null)), THREAD, RUN);

        assertThat(outcome.statuses()).containsExactly(RunStatus.COMPLETED);
    }

    @Test
    void givenTheProviderUnreachableDuringRecovery_theFailureGoesOn() {
        runs.failRetrievals = true;

        Outcome outcome = recover(broken(StreamFailures.interrupted("drop", null, null)), null, null);

        assertThat(outcome.statuses()).containsExactly(RunStatus.IN_PROGRESS);
        assertThat(outcome.failure().code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED);
        assertThat(runs.cancels).as("a run in an unknown state is asked to stop").hasSize(1);
    }

    @Test
    void aStreamThatEnded_isLeftAlone() {
        var ended = Flux.<RunEvent>just(new RunEvent.RunStatusChanged(run(RunStatus.COMPLETED)),
                new RunEvent.StreamEnded(THREAD, RUN, RunStatus.COMPLETED, null));

        List<RunEvent> events = recovery.recovering(ended, null, null).collectList().block(TIMEOUT);

        assertThat(events).hasSize(2);
        assertThat(runs.retrievals).isEmpty();
    }

    private static Flux<RunEvent> broken(RuntimeException failure) {
        return Flux.<RunEvent>just(new RunEvent.ThreadCreated(THREAD),
                new RunEvent.RunStatusChanged(run(RunStatus.IN_PROGRESS))).concatWith(Flux.error(failure));
    }

    private static Message message(String id, String text) {
        return new Message(id, THREAD, RUN, text, List.of(), false);
    }

    private static Run run(RunStatus status) {
        return TestRuns.aRun().withId(RUN).withThreadId(THREAD).withStatus(status).build();
    }

    private Outcome recover(Flux<RunEvent> stream, String threadId, String runId) {
        return recover(recovery, stream, threadId, runId);
    }

    private Outcome recover(RunRecovery recovery, Flux<RunEvent> stream, String threadId, String runId) {
        var events = new CopyOnWriteArrayList<RunEvent>();
        Throwable failure = recovery.recovering(stream, threadId, runId).doOnNext(events::add)
                .then().map(done -> (Throwable) null).onErrorResume(f -> reactor.core.publisher.Mono.just(f))
                .block(TIMEOUT);
        return new Outcome(List.copyOf(events), (RunRelayException) failure);
    }

    record Outcome(List<RunEvent> events, RunRelayException failure) {
        List<RunStatus> statuses() {
            return events.stream().filter(RunEvent.RunStatusChanged.class::isInstance)
                    .map(e -> ((RunEvent.RunStatusChanged) e).status()).toList();
        }
    }

    /** Answers the messages of a run with {@code messages}, or fails; records which runs were asked for. */
    static final class ScriptedMessages implements RunStepPort {
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile List<Message> messages = List.of();
        volatile boolean fail;

        @Override
        public CompletionStage<List<Message>> listMessages(ListRunMessagesCommand command) {
            asked.add(command.runId());
            return fail ? CompletableFuture.failedFuture(new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, "down"))
                    : CompletableFuture.completedFuture(messages);
        }

        @Override
        public CompletionStage<Page<RunStep>> list(ListRunStepsCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command) {
            throw new UnsupportedOperationException();
        }
    }

    /** Answers retrievals from a queue, then with {@code always}; records what it was asked. */
    static final class ScriptedRuns implements RunPort {
        final Queue<Run> answers = new ConcurrentLinkedQueue<>();
        final List<RetrieveRunCommand> retrievals = new CopyOnWriteArrayList<>();
        final List<CancelRunCommand> cancels = new CopyOnWriteArrayList<>();
        volatile Run always;
        volatile Run cancelAnswer;
        volatile boolean failRetrievals;

        @Override
        public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
            retrievals.add(command);
            if (failRetrievals) {
                return CompletableFuture.failedFuture(new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, "down"));
            }
            Run next = answers.poll();
            return CompletableFuture.completedFuture(next != null ? next : always);
        }

        @Override
        public CompletionStage<Run> cancel(CancelRunCommand command) {
            cancels.add(command);
            return CompletableFuture.completedFuture(cancelAnswer);
        }

        @Override
        public CompletionStage<Run> create(CreateRunCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Page<Run>> list(ListRunsCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Run> update(UpdateRunCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
            throw new UnsupportedOperationException();
        }
    }
}
