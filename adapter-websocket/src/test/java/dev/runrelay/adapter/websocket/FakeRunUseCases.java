package dev.runrelay.adapter.websocket;

import dev.runrelay.application.usecase.ActAsCallerUseCase;
import dev.runrelay.application.usecase.RunUseCases;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.owner.Owner;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * In-memory use cases that stream scripted event sequences, chosen by assistant id (runs) or run id
 * (tool outputs), and record what the adapter asked of them.
 */
final class FakeRunUseCases implements RunUseCases, ActAsCallerUseCase {

    static final String THREAD = "thread_1";
    static final Usage USAGE = new Usage(12, 30, 42);
    static final String SECRET = "sk-live-THIS-MUST-NOT-LEAK";

    /** Per scripted run id: when its upstream was cancelled (nanoTime). */
    final Map<String, CompletableFuture<Long>> upstreamCancelled = new ConcurrentHashMap<>();
    final List<CancelRunCommand> cancelCalls = new CopyOnWriteArrayList<>();
    final List<CreateRunCommand> startRunCalls = new CopyOnWriteArrayList<>();
    final List<CreateThreadAndRunCommand> startThreadAndRunCalls = new CopyOnWriteArrayList<>();
    final List<SubmitToolOutputsCommand> submitCalls = new CopyOnWriteArrayList<>();
    final AtomicLong floodEmitted = new AtomicLong();
    private final Map<String, Sinks.Empty<Void>> cancelSignals = new ConcurrentHashMap<>();
    /** The principals the adapter asked to act as, in order. */
    final List<Owner> callers = new CopyOnWriteArrayList<>();

    /** Ownership is the core's rule (tested in application and bootstrap); this fake lets everybody do everything. */
    @Override
    public RunUseCases actAs(Owner caller) {
        callers.add(caller);
        return this;
    }

    @Override
    public CompletionStage<Void> mayResume(String runId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Flow.Publisher<RunEvent> startRun(CreateRunCommand command) {
        startRunCalls.add(command);
        return publish(script(command.assistantId(), command.threadId(), false));
    }

    @Override
    public Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command) {
        startThreadAndRunCalls.add(command);
        return publish(script(command.assistantId(), "thread_new", true));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command) {
        submitCalls.add(command);
        if (!command.runId().equals("run_function")) {
            return publish(Flux.error(new RunRelayException(ErrorCode.NOT_FOUND, "No run " + command.runId() + ".")));
        }
        String runId = command.runId();
        return publish(Flux.<RunEvent>just(
                        status(runId, command.threadId(), RunStatus.QUEUED),
                        status(runId, command.threadId(), RunStatus.IN_PROGRESS))
                .concatWith(text(command.threadId(), runId, List.of("It is ", "sunny.")))
                .concatWith(Flux.just(
                        status(runId, command.threadId(), RunStatus.COMPLETED),
                        new RunEvent.StreamEnded(command.threadId(), runId, RunStatus.COMPLETED, USAGE))));
    }

    @Override
    public CompletionStage<Run> cancelRun(CancelRunCommand command) {
        cancelCalls.add(command);
        Sinks.Empty<Void> signal = cancelSignals.get(command.runId());
        if (signal != null) {
            signal.tryEmitEmpty();
        }
        return CompletableFuture.completedFuture(run(command.runId(), command.threadId(), RunStatus.CANCELLING));
    }

    @Override
    public CompletionStage<Run> retrieveRun(RetrieveRunCommand command) {
        if (command.runId().equals("run_missing")) {
            return CompletableFuture.failedFuture(new RunRelayException(ErrorCode.NOT_FOUND, "No run run_missing."));
        }
        if (command.runId().equals("run_broken")) {
            return CompletableFuture.failedFuture(new IllegalStateException("driver failed with key " + SECRET));
        }
        return CompletableFuture.completedFuture(run(command.runId(), command.threadId(), RunStatus.COMPLETED));
    }

    @Override
    public CompletionStage<Page<Run>> listRuns(ListRunsCommand command) {
        List<Run> runs = List.of(run("run_b", command.threadId(), RunStatus.COMPLETED),
                run("run_a", command.threadId(), RunStatus.FAILED));
        return CompletableFuture.completedFuture(new Page<>(runs.subList(0, Math.min(runs.size(),
                command.page().limit())), "run_b", "run_a", false));
    }

    @Override
    public CompletionStage<Run> updateRun(UpdateRunCommand command) {
        Run base = run(command.runId(), command.threadId(), RunStatus.COMPLETED);
        return CompletableFuture.completedFuture(new Run(base.id(), base.threadId(), base.assistantId(), base.status(),
                base.model(), null, List.of(), base.createdAt(), null, null, null, null, base.completedAt(), null,
                null, null, USAGE, command.metadata(), null));
    }

    @Override
    public CompletionStage<Page<RunStep>> listRunSteps(ListRunStepsCommand command) {
        return CompletableFuture.completedFuture(new Page<>(
                List.of(codeStep(command.threadId(), command.runId()), messageStep(command.threadId(), command.runId())),
                "step_code", "step_message", true));
    }

    @Override
    public CompletionStage<RunStep> retrieveRunStep(RetrieveRunStepCommand command) {
        return CompletableFuture.completedFuture(command.stepId().equals("step_code")
                ? codeStep(command.threadId(), command.runId())
                : messageStep(command.threadId(), command.runId()));
    }

    CompletableFuture<Long> upstreamCancelled(String runId) {
        return upstreamCancelled.computeIfAbsent(runId, id -> new CompletableFuture<>());
    }

    private Flux<RunEvent> script(String assistantId, String threadId, boolean newThread) {
        Flux<RunEvent> opening = newThread ? Flux.just(new RunEvent.ThreadCreated(threadId)) : Flux.empty();
        return switch (assistantId) {
            case "asst_text" -> opening.concatWith(textRun(threadId, "run_text", List.of("Hello", ", ", "world", "!")));
            case "asst_code" -> opening.concatWith(codeRun(threadId));
            case "asst_function" -> opening.concatWith(functionRun(threadId));
            case "asst_slow" -> opening.concatWith(slowRun(threadId, "run_slow"));
            case "asst_cancellable" -> opening.concatWith(cancellableRun(threadId, "run_cancellable"));
            case "asst_endless" -> opening.concatWith(endlessRun(threadId, "run_endless"));
            case "asst_flood" -> opening.concatWith(floodRun(threadId, "run_flood", 1_000_000, 10));
            case "asst_paced" -> opening.concatWith(floodRun(threadId, "run_paced", 3_000, 1));
            case "asst_failing" -> Flux.<RunEvent>just(status("run_failing", threadId, RunStatus.IN_PROGRESS),
                            new RunEvent.TextDelta("msg_1", 0, "partial", null))
                    .concatWith(Flux.error(new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE,
                            "The provider is unavailable; try again shortly.")));
            case "asst_broken" -> Flux.<RunEvent>just(status("run_broken", threadId, RunStatus.IN_PROGRESS))
                    .concatWith(Flux.error(new IllegalStateException("HTTP client failed, api key " + SECRET)));
            case "asst_truncated" -> Flux.just(status("run_truncated", threadId, RunStatus.IN_PROGRESS),
                    new RunEvent.TextDelta("msg_1", 0, "cut", null));
            case "asst_failed_run" -> Flux.just(status("run_failed", threadId, RunStatus.IN_PROGRESS),
                    new RunEvent.RunStatusChanged(failedRun("run_failed", threadId)),
                    new RunEvent.StreamEnded(threadId, "run_failed", RunStatus.FAILED, null));
            default -> Flux.error(new RunRelayException(ErrorCode.NOT_FOUND, "No assistant " + assistantId + "."));
        };
    }

    private Flow.Publisher<RunEvent> publish(Flux<RunEvent> events) {
        return JdkFlowAdapter.publisherToFlowPublisher(events);
    }

    static Flux<RunEvent> textRun(String threadId, String runId, List<String> deltas) {
        return Flux.<RunEvent>just(status(runId, threadId, RunStatus.QUEUED), status(runId, threadId, RunStatus.IN_PROGRESS))
                .concatWith(text(threadId, runId, deltas))
                .concatWith(Flux.just(new RunEvent.UsageReported(runId, USAGE), status(runId, threadId, RunStatus.COMPLETED),
                        new RunEvent.StreamEnded(threadId, runId, RunStatus.COMPLETED, null)));
    }

    static Flux<RunEvent> text(String threadId, String runId, List<String> deltas) {
        var events = new ArrayList<RunEvent>();
        events.add(new RunEvent.MessageCreated("msg_1", threadId, runId));
        events.add(new RunEvent.TextCreated("msg_1", 0));
        deltas.forEach(delta -> events.add(new RunEvent.TextDelta("msg_1", 0, delta, null)));
        events.add(new RunEvent.MessageCompleted(new Message("msg_1", threadId, runId, String.join("", deltas),
                List.of(new Annotation(Annotation.Type.FILE_CITATION, "【4:0†source】", "file_1", "a quote", 0, 1)),
                false)));
        return Flux.fromIterable(events);
    }

    private static Flux<RunEvent> codeRun(String threadId) {
        String runId = "run_code";
        return Flux.<RunEvent>just(status(runId, threadId, RunStatus.IN_PROGRESS),
                        new RunEvent.ToolCallCreated("step_code", "call_code", ToolType.CODE_INTERPRETER, null),
                        new RunEvent.CodeInputDelta("step_code", "call_code", "print("),
                        new RunEvent.CodeInputDelta("step_code", "call_code", "1 + 1)"),
                        new RunEvent.CodeOutputAdded("step_code", "call_code", new CodeOutput.Logs("2\n")),
                        new RunEvent.CodeOutputAdded("step_code", "call_code", new CodeOutput.Image("file_img")))
                .concatWith(text(threadId, runId, List.of("The answer is 2.")))
                .concatWith(Flux.just(status(runId, threadId, RunStatus.COMPLETED),
                        new RunEvent.StreamEnded(threadId, runId, RunStatus.COMPLETED, USAGE)));
    }

    private static Flux<RunEvent> functionRun(String threadId) {
        String runId = "run_function";
        var call = new RequiredToolCall("call_weather", "get_weather", "{\"city\":\"Paris\"}");
        return Flux.just(status(runId, threadId, RunStatus.IN_PROGRESS),
                new RunEvent.ToolCallCreated("step_fn", "call_weather", ToolType.FUNCTION, "get_weather"),
                new RunEvent.FunctionArgumentsDelta("step_fn", "call_weather", "get_weather", "{\"city\":"),
                new RunEvent.FunctionArgumentsDelta("step_fn", "call_weather", null, "\"Paris\"}"),
                new RunEvent.RequiresAction(threadId, runId, List.of(call)),
                new RunEvent.RunStatusChanged(withAction(run(runId, threadId, RunStatus.REQUIRES_ACTION), call)),
                new RunEvent.StreamEnded(threadId, runId, RunStatus.REQUIRES_ACTION, null));
    }

    /** 20 chunks, one every 100 ms: long enough to act on mid-stream, short enough to end by itself. */
    private Flux<RunEvent> slowRun(String threadId, String runId) {
        return Flux.<RunEvent>just(status(runId, threadId, RunStatus.IN_PROGRESS))
                .concatWith(Flux.interval(Duration.ofMillis(100)).take(20)
                        .map(i -> (RunEvent) new RunEvent.TextDelta("msg_1", 0, "tick " + i, null)))
                .concatWith(Flux.just(status(runId, threadId, RunStatus.COMPLETED),
                        new RunEvent.StreamEnded(threadId, runId, RunStatus.COMPLETED, USAGE)))
                .doOnCancel(() -> upstreamCancelled(runId).complete(System.nanoTime()));
    }

    private Flux<RunEvent> endlessRun(String threadId, String runId) {
        return Flux.<RunEvent>just(status(runId, threadId, RunStatus.IN_PROGRESS))
                .concatWith(Flux.interval(Duration.ofMillis(20))
                        .map(i -> (RunEvent) new RunEvent.TextDelta("msg_1", 0, "tick " + i, null)))
                .doOnCancel(() -> upstreamCancelled(runId).complete(System.nanoTime()));
    }

    /** Chunks every 20 ms until {@link #cancelRun} is called, then cancelling, cancelled and the end. */
    private Flux<RunEvent> cancellableRun(String threadId, String runId) {
        Sinks.Empty<Void> signal = Sinks.empty();
        cancelSignals.put(runId, signal);
        return Flux.<RunEvent>just(status(runId, threadId, RunStatus.IN_PROGRESS))
                .concatWith(Flux.interval(Duration.ofMillis(20))
                        .map(i -> (RunEvent) new RunEvent.TextDelta("msg_1", 0, "tick " + i, null))
                        .takeUntilOther(signal.asMono()))
                .concatWith(Flux.just(status(runId, threadId, RunStatus.CANCELLING),
                        status(runId, threadId, RunStatus.CANCELLED),
                        new RunEvent.StreamEnded(threadId, runId, RunStatus.CANCELLED, null)));
    }

    /**
     * {@code total} chunks of 200 characters, {@code perMilli} every millisecond, off the socket's event
     * loop as a provider's events are: a client that reads keeps up, one that stops reading cannot.
     */
    private Flux<RunEvent> floodRun(String threadId, String runId, int total, int perMilli) {
        RunEvent chunk = new RunEvent.TextDelta("msg_1", 0, "x".repeat(200), null);
        return Flux.<RunEvent>just(status(runId, threadId, RunStatus.IN_PROGRESS))
                .concatWith(Flux.interval(Duration.ofMillis(1)).take(total / perMilli)
                        .flatMapIterable(tick -> Collections.nCopies(perMilli, chunk))
                        .doOnNext(event -> floodEmitted.incrementAndGet()))
                .concatWith(Flux.just(status(runId, threadId, RunStatus.COMPLETED),
                        new RunEvent.StreamEnded(threadId, runId, RunStatus.COMPLETED, null)))
                .doOnCancel(() -> upstreamCancelled(runId).complete(System.nanoTime()));
    }

    static RunEvent status(String runId, String threadId, RunStatus status) {
        return new RunEvent.RunStatusChanged(run(runId, threadId, status));
    }

    static Run run(String runId, String threadId, RunStatus status) {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return new Run(runId, threadId, "asst_text", status, "gpt-4o", "Be brief.", List.of(), created, created,
                null, null, null, status == RunStatus.COMPLETED ? created.plusSeconds(3) : null, null, null, null,
                status == RunStatus.COMPLETED ? USAGE : null, Map.of("topic", "weather"), null);
    }

    private static Run withAction(Run run, RequiredToolCall call) {
        return new Run(run.id(), run.threadId(), run.assistantId(), run.status(), run.model(), run.instructions(),
                run.tools(), run.createdAt(), run.startedAt(), null, null, null, null,
                new RequiredAction(List.of(call)), null, null, null, run.metadata(), null);
    }

    private static Run failedRun(String runId, String threadId) {
        Run run = run(runId, threadId, RunStatus.FAILED);
        return new Run(run.id(), run.threadId(), run.assistantId(), RunStatus.FAILED, run.model(), null, List.of(),
                run.createdAt(), run.startedAt(), null, null, run.createdAt().plusSeconds(2), null, null,
                new dev.runrelay.domain.run.RunError("server_error", "The model crashed."), null, null, null, null);
    }

    private static RunStep codeStep(String threadId, String runId) {
        Instant created = Instant.parse("2026-01-01T00:00:01Z");
        return new RunStep("step_code", runId, threadId, "asst_code", RunStepType.TOOL_CALLS, RunStepStatus.COMPLETED,
                new StepDetails.ToolCalls(List.of(new ToolCall.CodeInterpreter("call_code", "print(1 + 1)",
                        List.of(new CodeOutput.Logs("2\n"), new CodeOutput.Image("file_img"))))),
                USAGE, created, created.plusSeconds(1), null, null, null, null, Map.of());
    }

    private static RunStep messageStep(String threadId, String runId) {
        Instant created = Instant.parse("2026-01-01T00:00:02Z");
        return new RunStep("step_message", runId, threadId, "asst_code", RunStepType.MESSAGE_CREATION,
                RunStepStatus.COMPLETED, new StepDetails.MessageCreation("msg_1"), null, created,
                created.plusSeconds(1), null, null, null, null, Map.of());
    }
}
