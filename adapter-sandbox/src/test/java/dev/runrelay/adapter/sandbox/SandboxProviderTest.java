package dev.runrelay.adapter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.event.RunEvent.CodeInputDelta;
import dev.runrelay.domain.event.RunEvent.CodeOutputAdded;
import dev.runrelay.domain.event.RunEvent.FunctionArgumentsDelta;
import dev.runrelay.domain.event.RunEvent.MessageCompleted;
import dev.runrelay.domain.event.RunEvent.RequiresAction;
import dev.runrelay.domain.event.RunEvent.RunStatusChanged;
import dev.runrelay.domain.event.RunEvent.StepCompleted;
import dev.runrelay.domain.event.RunEvent.StreamEnded;
import dev.runrelay.domain.event.RunEvent.TextDelta;
import dev.runrelay.domain.event.RunEvent.ThreadCreated;
import dev.runrelay.domain.event.RunEvent.ToolCallCreated;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunOptions;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class SandboxProviderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String ASSISTANT = "asst_sandbox";
    /** Fast enough for tests, slow enough that a cancel lands mid-stream. */
    private static final SandboxSettings FAST = new SandboxSettings(7L, 2_000);

    private final Provider provider = SandboxProvider.create(FAST);

    @Test
    void plainAnswer_streamsTheSequenceOfARealProvider() {
        StepVerifier.create(startThreadAndRun("Hello there").collectList())
                .assertNext(events -> {
                    assertThat(kinds(events)).containsExactly(
                            "ThreadCreated", "RunStatusChanged:queued", "RunStatusChanged:in_progress",
                            "StepCreated", "MessageCreated", "TextCreated", "TextDelta*", "MessageCompleted",
                            "StepCompleted", "RunStatusChanged:completed", "UsageReported", "StreamEnded");
                    String streamed = texts(events);
                    MessageCompleted message = only(events, MessageCompleted.class);
                    assertThat(message.message().text()).isEqualTo(streamed).contains("Hello there");
                    assertThat(message.message().incomplete()).isFalse();
                    StreamEnded end = only(events, StreamEnded.class);
                    assertThat(end.finalStatus()).isEqualTo(RunStatus.COMPLETED);
                    assertThat(end.usage().completionTokens()).isEqualTo(count(events, TextDelta.class));
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void plainAnswer_textArrivesInManyPieces_atTheConfiguredPace() {
        var paced = SandboxProvider.create(new SandboxSettings(1L, 100));
        var command = new CreateThreadAndRunCommand(ASSISTANT, List.of(MessageInput.user("hi")), null, null);
        List<Long> arrivals = new ArrayList<>();
        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(paced.streams().createThreadAndRunAndStream(command))
                        .doOnNext(event -> {
                            if (event instanceof TextDelta) {
                                arrivals.add(System.nanoTime());
                            }
                        })
                        .then())
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(arrivals).hasSizeGreaterThan(20);
        Duration spread = Duration.ofNanos(arrivals.getLast() - arrivals.getFirst());
        // 100 deltas per second: 10 ms apart, allowing the scheduler some slack.
        assertThat(spread).isGreaterThanOrEqualTo(Duration.ofMillis(8L * (arrivals.size() - 1)));
    }

    @Test
    void codeScenario_streamsCodeInputFragmentsThenLogs_thenAnswers() {
        StepVerifier.create(startThreadAndRun("Please run some python for me").collectList())
                .assertNext(events -> {
                    assertThat(kinds(events)).containsExactly(
                            "ThreadCreated", "RunStatusChanged:queued", "RunStatusChanged:in_progress",
                            "StepCreated", "ToolCallCreated", "CodeInputDelta*", "CodeOutputAdded", "StepCompleted",
                            "StepCreated", "MessageCreated", "TextCreated", "TextDelta*", "MessageCompleted",
                            "StepCompleted", "RunStatusChanged:completed", "UsageReported", "StreamEnded");
                    assertThat(only(events, ToolCallCreated.class).toolType()).isEqualTo(ToolType.CODE_INTERPRETER);
                    String code = events.stream()
                            .filter(CodeInputDelta.class::isInstance)
                            .map(event -> ((CodeInputDelta) event).fragment())
                            .reduce("", String::concat);
                    assertThat(code).isEqualTo(Scripts.CODE);
                    assertThat(count(events, CodeInputDelta.class)).isGreaterThan(3);
                    assertThat(only(events, CodeOutputAdded.class).output())
                            .isEqualTo(new CodeOutput.Logs(Scripts.CODE_LOGS));
                    StepCompleted toolStep = first(events, StepCompleted.class);
                    var call = (ToolCall.CodeInterpreter) ((StepDetails.ToolCalls) toolStep.step().details())
                            .toolCalls().getFirst();
                    assertThat(call.input()).isEqualTo(Scripts.CODE);
                    assertThat(call.outputs()).containsExactly(new CodeOutput.Logs(Scripts.CODE_LOGS));
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void weatherScenario_waitsForToolOutputs_thenContinuesWithThem() {
        List<RunEvent> first = startThreadAndRun("What is the weather in paris?").collectList().block(TIMEOUT);
        assertThat(kinds(first)).containsExactly(
                "ThreadCreated", "RunStatusChanged:queued", "RunStatusChanged:in_progress", "StepCreated",
                "ToolCallCreated", "FunctionArgumentsDelta*", "RunStatusChanged:requires_action", "RequiresAction",
                "StreamEnded");
        RequiresAction action = only(first, RequiresAction.class);
        var call = action.toolCalls().getFirst();
        assertThat(call.functionName()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"location\": \"Paris\", \"unit\": \"celsius\"}");
        assertThat(first.stream().filter(FunctionArgumentsDelta.class::isInstance)
                .map(event -> ((FunctionArgumentsDelta) event).fragment()).reduce("", String::concat))
                .isEqualTo(call.arguments());
        assertThat(only(first, StreamEnded.class).finalStatus()).isEqualTo(RunStatus.REQUIRES_ACTION);
        Run waiting = join(provider.runs().retrieve(new RetrieveRunCommand(action.threadId(), action.runId())));
        assertThat(waiting.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(waiting.requiredAction().toolCalls()).containsExactly(call);

        var submit = new SubmitToolOutputsCommand(action.threadId(), action.runId(),
                List.of(new ToolOutput(call.id(), "sunny, 21 °C")));
        StepVerifier.create(flux(provider.streams().submitToolOutputsAndStream(submit)).collectList())
                .assertNext(events -> {
                    assertThat(kinds(events)).containsExactly(
                            "RunStatusChanged:queued", "RunStatusChanged:in_progress", "StepCompleted",
                            "StepCreated", "MessageCreated", "TextCreated", "TextDelta*", "MessageCompleted",
                            "StepCompleted", "RunStatusChanged:completed", "UsageReported", "StreamEnded");
                    var answered = (ToolCall.Function) ((StepDetails.ToolCalls) first(events, StepCompleted.class)
                            .step().details()).toolCalls().getFirst();
                    assertThat(answered.output()).isEqualTo("sunny, 21 °C");
                    assertThat(texts(events)).contains("Paris", "sunny, 21 °C");
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void submitToolOutputs_forAnotherToolCall_isAnInvalidRequest() {
        RequiresAction action = only(startThreadAndRun("weather please").collectList().block(TIMEOUT),
                RequiresAction.class);
        var submit = new SubmitToolOutputsCommand(action.threadId(), action.runId(),
                List.of(new ToolOutput("call_unknown", "x")));
        StepVerifier.create(flux(provider.streams().submitToolOutputsAndStream(submit)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(RunRelayException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST)))
                .verify(TIMEOUT);
    }

    @Test
    void submitToolOutputs_toACompletedRun_isAConflict() {
        StreamEnded end = only(startThreadAndRun("hello").collectList().block(TIMEOUT), StreamEnded.class);
        var submit = new SubmitToolOutputsCommand(end.threadId(), end.runId(), List.of(new ToolOutput("call_x", "x")));
        StepVerifier.create(Mono.fromCompletionStage(provider.runs().submitToolOutputs(submit)))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code())
                        .isEqualTo(ErrorCode.CONFLICT))
                .verify(TIMEOUT);
    }

    @Test
    void failScenario_endsWithAFailedRunCarryingLastError_notWithAnErrorSignal() {
        List<RunEvent> events = startThreadAndRun("please fail now").collectList().block(TIMEOUT);
        assertThat(kinds(events)).containsExactly(
                "ThreadCreated", "RunStatusChanged:queued", "RunStatusChanged:in_progress", "StepCreated",
                "MessageCreated", "TextCreated", "TextDelta*", "MessageCompleted", "StepCompleted",
                "RunStatusChanged:failed", "StreamEnded");
        Run failed = last(events, RunStatusChanged.class).run();
        assertThat(failed.lastError().code()).isEqualTo("server_error");
        assertThat(failed.failedAt()).isNotNull();
        assertThat(only(events, MessageCompleted.class).message().incomplete()).isTrue();
        assertThat(only(events, StepCompleted.class).step().status()).isEqualTo(RunStepStatus.FAILED);
        StreamEnded end = only(events, StreamEnded.class);
        assertThat(end.finalStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId()))))
                .isEqualTo(failed);
    }

    @Test
    void interruptScenario_signalsStreamInterrupted_andTheStoredRunFails() {
        AtomicReference<RunStatusChanged> queued = new AtomicReference<>();
        StepVerifier.create(startThreadAndRun("interrupt me").doOnNext(event -> {
                    if (event instanceof RunStatusChanged changed && queued.get() == null) {
                        queued.set(changed);
                    }
                }))
                .thenConsumeWhile(event -> true)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(RunRelayException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED)))
                .verify(TIMEOUT);
        Run run = queued.get().run();
        assertThat(join(provider.runs().retrieve(new RetrieveRunCommand(run.threadId(), run.id()))).status())
                .isEqualTo(RunStatus.FAILED);
    }

    @Test
    void cancelThroughTheRunPort_midStream_endsTheStreamCancelled() {
        var slow = SandboxProvider.create(new SandboxSettings(3L, 50));
        var command = new CreateThreadAndRunCommand(ASSISTANT, List.of(MessageInput.user("tell me a long story")),
                null, null);
        AtomicReference<Run> run = new AtomicReference<>();
        AtomicReference<Run> cancelAnswer = new AtomicReference<>();
        StepVerifier.create(flux(slow.streams().createThreadAndRunAndStream(command)))
                .expectNextMatches(ThreadCreated.class::isInstance)
                .consumeNextWith(event -> run.set(((RunStatusChanged) event).run()))
                .thenConsumeWhile(event -> !(event instanceof TextDelta))
                .consumeNextWith(delta -> cancelAnswer.set(join(slow.runs().cancel(
                        new CancelRunCommand(run.get().threadId(), run.get().id())))))
                .thenConsumeWhile(event -> !(event instanceof RunStatusChanged changed
                        && changed.status() == RunStatus.CANCELLING))
                .expectNextMatches(RunStatusChanged.class::isInstance)
                .recordWith(ArrayList::new)
                .thenConsumeWhile(event -> true)
                .consumeRecordedWith(rest -> {
                    assertThat(kinds(List.copyOf(rest))).containsExactly(
                            "MessageCompleted", "StepCompleted", "RunStatusChanged:cancelled", "StreamEnded");
                    assertThat(((MessageCompleted) List.copyOf(rest).getFirst()).message().incomplete()).isTrue();
                })
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(cancelAnswer.get().status()).isEqualTo(RunStatus.CANCELLING);
        Run cancelled = join(slow.runs().retrieve(new RetrieveRunCommand(run.get().threadId(), run.get().id())));
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.cancelledAt()).isNotNull();
        Page<RunStep> steps = join(slow.steps().list(
                new ListRunStepsCommand(cancelled.threadId(), cancelled.id(), null, null)));
        assertThat(steps.data()).extracting(RunStep::status).containsExactly(RunStepStatus.CANCELLED);
    }

    @Test
    void cancel_ofARunWaitingForToolOutputs_cancelsItAtOnce() {
        RequiresAction action = only(startThreadAndRun("weather?").collectList().block(TIMEOUT),
                RequiresAction.class);
        Run cancelled = join(provider.runs().cancel(new CancelRunCommand(action.threadId(), action.runId())));
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.requiredAction()).isNull();
        StepVerifier.create(Mono.fromCompletionStage(
                        provider.runs().cancel(new CancelRunCommand(action.threadId(), action.runId()))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code())
                        .isEqualTo(ErrorCode.CONFLICT))
                .verify(TIMEOUT);
    }

    @Test
    void stepsAndRetrieve_agreeWithWhatWasStreamed() {
        List<RunEvent> events = startThreadAndRun("calculate with code").collectList().block(TIMEOUT);
        StreamEnded end = only(events, StreamEnded.class);
        List<RunStep> streamedSteps = events.stream()
                .filter(StepCompleted.class::isInstance)
                .map(event -> ((StepCompleted) event).step())
                .toList();
        Page<RunStep> listed = join(provider.steps().list(new ListRunStepsCommand(end.threadId(), end.runId(),
                PageRequest.of(null, SortOrder.ASC, null, null), null)));
        assertThat(listed.data()).containsExactlyElementsOf(streamedSteps);
        RunStep retrieved = join(provider.steps().retrieve(new RetrieveRunStepCommand(end.threadId(), end.runId(),
                streamedSteps.getLast().id(), null)));
        assertThat(retrieved).isEqualTo(streamedSteps.getLast());
        assertThat(join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId()))))
                .isEqualTo(last(events, RunStatusChanged.class).run());
    }

    @Test
    void listRuns_pagesWithCursorsInBothOrders() {
        StreamEnded firstRun = only(startThreadAndRun("run 1").collectList().block(TIMEOUT), StreamEnded.class);
        String threadId = firstRun.threadId();
        List<String> runIds = new ArrayList<>(List.of(firstRun.runId()));
        for (int i = 2; i <= 5; i++) {
            var command = new CreateRunCommand(threadId, ASSISTANT, List.of(MessageInput.user("run " + i)), null);
            runIds.add(only(flux(provider.streams().createAndStream(command)).collectList().block(TIMEOUT),
                    StreamEnded.class).runId());
        }

        Page<Run> newest = join(provider.runs().list(new ListRunsCommand(threadId, PageRequest.of(2, null, null, null))));
        assertThat(newest.data()).extracting(Run::id).containsExactly(runIds.get(4), runIds.get(3));
        assertThat(newest.hasMore()).isTrue();
        Page<Run> next = join(provider.runs().list(
                new ListRunsCommand(threadId, PageRequest.of(2, null, newest.lastId(), null))));
        assertThat(next.data()).extracting(Run::id).containsExactly(runIds.get(2), runIds.get(1));
        Page<Run> last = join(provider.runs().list(
                new ListRunsCommand(threadId, PageRequest.of(2, null, next.lastId(), null))));
        assertThat(last.data()).extracting(Run::id).containsExactly(runIds.get(0));
        assertThat(last.hasMore()).isFalse();

        Page<Run> oldest = join(provider.runs().list(
                new ListRunsCommand(threadId, PageRequest.of(3, SortOrder.ASC, null, null))));
        assertThat(oldest.data()).extracting(Run::id).containsExactlyElementsOf(runIds.subList(0, 3));
        assertThat(oldest.firstId()).isEqualTo(runIds.get(0));
        Page<Run> before = join(provider.runs().list(
                new ListRunsCommand(threadId, PageRequest.of(2, SortOrder.ASC, null, runIds.get(4)))));
        assertThat(before.data()).extracting(Run::id).containsExactly(runIds.get(2), runIds.get(3));
        assertThat(before.hasMore()).isTrue();
    }

    @Test
    void update_replacesMetadata_andLaterReadsSeeIt() {
        StreamEnded end = only(startThreadAndRun("hello").collectList().block(TIMEOUT), StreamEnded.class);
        Run updated = join(provider.runs().update(
                new UpdateRunCommand(end.threadId(), end.runId(), Map.of("ticket", "42"))));
        assertThat(updated.metadata()).containsExactly(Map.entry("ticket", "42"));
        assertThat(join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId()))).metadata())
                .containsExactly(Map.entry("ticket", "42"));
        assertThat(join(provider.runs().list(new ListRunsCommand(end.threadId(), null))).data().getFirst().metadata())
                .containsExactly(Map.entry("ticket", "42"));
    }

    @Test
    void createRun_onAThreadWithAnActiveRun_isAConflict() {
        RequiresAction waiting = only(startThreadAndRun("weather").collectList().block(TIMEOUT), RequiresAction.class);
        var second = new CreateRunCommand(waiting.threadId(), ASSISTANT, List.of(MessageInput.user("hi")), null);
        StepVerifier.create(flux(provider.streams().createAndStream(second)))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code())
                        .isEqualTo(ErrorCode.CONFLICT))
                .verify(TIMEOUT);
    }

    @Test
    void unknownThreadOrRunOrStep_isNotFound() {
        StepVerifier.create(Mono.fromCompletionStage(
                        provider.runs().retrieve(new RetrieveRunCommand("thread_nope", "run_nope"))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code())
                        .isEqualTo(ErrorCode.NOT_FOUND))
                .verify(TIMEOUT);
        StreamEnded end = only(startThreadAndRun("hello").collectList().block(TIMEOUT), StreamEnded.class);
        StepVerifier.create(Mono.fromCompletionStage(provider.steps().retrieve(
                        new RetrieveRunStepCommand(end.threadId(), end.runId(), "step_nope", null))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code())
                        .isEqualTo(ErrorCode.NOT_FOUND))
                .verify(TIMEOUT);
    }

    @Test
    void createWithoutStreaming_playsTheRunInTheBackground() {
        Run queued = join(provider.runs().createThreadAndRun(new CreateThreadAndRunCommand(ASSISTANT,
                List.of(MessageInput.user("hello")), null, new RunOptions("my-model", null, null, null,
                        Map.of("origin", "test"), null))));
        assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(queued.model()).isEqualTo("my-model");
        assertThat(queued.metadata()).containsEntry("origin", "test");
        StepVerifier.create(Flux.interval(Duration.ofMillis(20))
                        .concatMap(tick -> Mono.fromCompletionStage(
                                provider.runs().retrieve(new RetrieveRunCommand(queued.threadId(), queued.id()))))
                        .filter(run -> run.status().isTerminal())
                        .next())
                .assertNext(run -> {
                    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
                    assertThat(run.usage()).isNotNull();
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void submitToolOutputsWithoutStreaming_answersQueued_andTheRunCompletesInTheBackground() {
        RequiresAction action = only(startThreadAndRun("weather in Oslo").collectList().block(TIMEOUT),
                RequiresAction.class);
        Run accepted = join(provider.runs().submitToolOutputs(new SubmitToolOutputsCommand(action.threadId(),
                action.runId(), List.of(new ToolOutput(action.toolCalls().getFirst().id(), "snow")))));
        assertThat(accepted.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(accepted.requiredAction()).isNull();
        StepVerifier.create(Flux.interval(Duration.ofMillis(20))
                        .concatMap(tick -> Mono.fromCompletionStage(
                                provider.runs().retrieve(new RetrieveRunCommand(action.threadId(), action.runId()))))
                        .filter(run -> run.status().isTerminal())
                        .next())
                .assertNext(run -> assertThat(run.status()).isEqualTo(RunStatus.COMPLETED))
                .expectComplete()
                .verify(TIMEOUT);
        List<RunStep> steps = join(provider.steps().list(new ListRunStepsCommand(action.threadId(), action.runId(),
                PageRequest.of(null, SortOrder.ASC, null, null), null))).data();
        assertThat(steps).extracting(RunStep::status).containsOnly(RunStepStatus.COMPLETED).hasSize(2);
        var answered = (ToolCall.Function) ((StepDetails.ToolCalls) steps.getFirst().details()).toolCalls().getFirst();
        assertThat(answered.output()).isEqualTo("snow");
        assertThat(answered.arguments()).contains("Oslo");
    }

    @Test
    void aSubscriberThatLeaves_doesNotStopTheRun() {
        List<RunEvent> firstEvents = startThreadAndRun("hello").take(3).collectList().block(TIMEOUT);
        Run run = ((RunStatusChanged) firstEvents.get(1)).run();
        StepVerifier.create(Flux.interval(Duration.ofMillis(20))
                        .concatMap(tick -> Mono.fromCompletionStage(
                                provider.runs().retrieve(new RetrieveRunCommand(run.threadId(), run.id()))))
                        .filter(current -> current.status().isTerminal())
                        .next())
                .assertNext(current -> assertThat(current.status()).isEqualTo(RunStatus.COMPLETED))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void sameSeedAndCalls_giveTheSameText_butIdsNobodyCanPredict() {
        var one = SandboxProvider.create(FAST);
        var two = SandboxProvider.create(FAST);
        var command = new CreateThreadAndRunCommand(ASSISTANT, List.of(MessageInput.user("hello")), null, null);
        List<RunEvent> a = flux(one.streams().createThreadAndRunAndStream(command)).collectList().block(TIMEOUT);
        List<RunEvent> b = flux(two.streams().createThreadAndRunAndStream(command)).collectList().block(TIMEOUT);
        assertThat(only(a, MessageCompleted.class).message().text())
                .isEqualTo(only(b, MessageCompleted.class).message().text());
        assertThat(only(a, StreamEnded.class).threadId()).isNotEqualTo(only(b, StreamEnded.class).threadId());
        assertThat(only(a, StreamEnded.class).runId()).isNotEqualTo(only(b, StreamEnded.class).runId())
                .matches("run_[A-Za-z0-9]{24}");
        assertThat(only(a, MessageCompleted.class).message().id())
                .isNotEqualTo(only(b, MessageCompleted.class).message().id());
    }

    @Test
    void streamsAreCold_nothingHappensBeforeSubscription() {
        var oneThread = SandboxProvider.create(new SandboxSettings(5L, 2_000, 1));
        var command = new CreateThreadAndRunCommand(ASSISTANT, List.of(MessageInput.user("hello")), null, null);
        var run = join(oneThread.runs().createThreadAndRun(command));
        oneThread.streams().createThreadAndRunAndStream(command);
        // Had the unsubscribed stream created a thread, the only thread kept would now be that one.
        assertThat(join(oneThread.runs().retrieve(new RetrieveRunCommand(run.threadId(), run.id()))).id())
                .isEqualTo(run.id());
    }

    @Test
    void beyondMaxThreads_theOldestThreadIsForgotten() {
        var small = SandboxProvider.create(new SandboxSettings(5L, 2_000, 2));
        var command = new CreateThreadAndRunCommand(ASSISTANT, List.of(MessageInput.user("hello")), null, null);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(join(small.runs().createThreadAndRun(command)));
        }
        StepVerifier.create(Mono.fromCompletionStage(small.runs().retrieve(
                        new RetrieveRunCommand(runs.get(0).threadId(), runs.get(0).id()))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code())
                        .isEqualTo(ErrorCode.NOT_FOUND))
                .verify(TIMEOUT);
        assertThat(join(small.runs().retrieve(new RetrieveRunCommand(runs.get(2).threadId(), runs.get(2).id()))).id())
                .isEqualTo(runs.get(2).id());
    }

    @Test
    void settings_refuseAnImpossiblePace() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new SandboxSettings(1L, 0))
                .withMessageContaining("deltas-per-second");
    }

    private Flux<RunEvent> startThreadAndRun(String input) {
        return flux(provider.streams().createThreadAndRunAndStream(
                new CreateThreadAndRunCommand(ASSISTANT, List.of(MessageInput.user(input)), null, null)));
    }

    private static Flux<RunEvent> flux(java.util.concurrent.Flow.Publisher<RunEvent> publisher) {
        return JdkFlowAdapter.flowPublisherToFlux(publisher);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    /** Event kinds in order, a run of text/code/argument fragments collapsed into one "Kind*". */
    private static List<String> kinds(List<RunEvent> events) {
        var kinds = new ArrayList<String>();
        for (RunEvent event : events) {
            String kind = event.getClass().getSimpleName();
            if (event instanceof RunStatusChanged changed) {
                kind += ":" + changed.status().wireValue();
            }
            if (event instanceof TextDelta || event instanceof CodeInputDelta
                    || event instanceof FunctionArgumentsDelta) {
                kind += "*";
                if (!kinds.isEmpty() && kinds.getLast().equals(kind)) {
                    continue;
                }
            }
            kinds.add(kind);
        }
        return kinds;
    }

    private static String texts(List<RunEvent> events) {
        return events.stream()
                .filter(TextDelta.class::isInstance)
                .map(event -> ((TextDelta) event).text())
                .reduce("", String::concat);
    }

    private static long count(List<RunEvent> events, Class<? extends RunEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    private static <T extends RunEvent> T only(List<RunEvent> events, Class<T> type) {
        List<T> matching = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("events of type " + type.getSimpleName()).hasSize(1);
        return matching.getFirst();
    }

    private static <T extends RunEvent> T first(List<RunEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static <T extends RunEvent> T last(List<RunEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
    }
}
