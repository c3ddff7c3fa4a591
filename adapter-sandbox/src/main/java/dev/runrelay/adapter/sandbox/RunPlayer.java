package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.event.RunEvent.CodeInputDelta;
import dev.runrelay.domain.event.RunEvent.CodeOutputAdded;
import dev.runrelay.domain.event.RunEvent.FunctionArgumentsDelta;
import dev.runrelay.domain.event.RunEvent.MessageCompleted;
import dev.runrelay.domain.event.RunEvent.MessageCreated;
import dev.runrelay.domain.event.RunEvent.RequiresAction;
import dev.runrelay.domain.event.RunEvent.RunStatusChanged;
import dev.runrelay.domain.event.RunEvent.StepCompleted;
import dev.runrelay.domain.event.RunEvent.StepCreated;
import dev.runrelay.domain.event.RunEvent.StreamEnded;
import dev.runrelay.domain.event.RunEvent.TextCreated;
import dev.runrelay.domain.event.RunEvent.TextDelta;
import dev.runrelay.domain.event.RunEvent.ThreadCreated;
import dev.runrelay.domain.event.RunEvent.ToolCallCreated;
import dev.runrelay.domain.event.RunEvent.UsageReported;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Plays a run as a script of timed beats on Reactor's parallel scheduler (no thread per run). Each
 * beat changes the stored run and emits the events a real provider would send for that change, so a
 * retrieve or a step listing always agrees with what was streamed.
 *
 * <p>A run plays whether or not anyone listens: the events are replayed to the subscriber of the
 * stream, and a subscriber that cancels does not stop the run (as with a real provider; cancel the
 * run itself through the run port). A cancel request is seen by the next beat, which then plays the
 * cancellation instead: cancelling, the open step cancelled, cancelled, end.
 */
final class RunPlayer {

    private record Beat(Duration delay, Supplier<List<RunEvent>> action) {}

    private final SandboxSettings settings;
    private final SandboxIds ids;
    private final Clock clock;

    RunPlayer(SandboxSettings settings, SandboxIds ids, Clock clock) {
        this.settings = settings;
        this.ids = ids;
        this.clock = clock;
    }

    /** Plays a new run from queued to its end, or to requires_action. */
    Flux<RunEvent> playNewRun(RunRecord run, boolean threadCreated) {
        var beats = new ArrayList<Beat>();
        beats.add(new Beat(Duration.ZERO, () -> threadCreated
                ? List.of(new ThreadCreated(run.threadId()), new RunStatusChanged(run.snapshot()))
                : List.of(new RunStatusChanged(run.snapshot()))));
        beats.add(new Beat(settings.deltaInterval().multipliedBy(3),
                () -> List.of(new RunStatusChanged(
                        run.update(b -> b.status(RunStatus.IN_PROGRESS).startedAt(now()))))));
        switch (run.scenario()) {
            case PLAIN -> {
                answer(beats, run, Scripts.plainAnswer(ids.pick(Scripts.PLAIN_ANSWERS), run.input()));
                complete(beats, run);
            }
            case LONG -> {
                answer(beats, run, Scripts.LONG_ANSWER);
                complete(beats, run);
            }
            case CODE -> {
                codeInterpreterCall(beats, run);
                answer(beats, run, Scripts.CODE_ANSWER);
                complete(beats, run);
            }
            case WEATHER -> weatherCall(beats, run);
            case FAILED -> failMidAnswer(beats, run);
            case INTERRUPTED -> interruptMidAnswer(beats, run);
        }
        return play(run, beats);
    }

    /** Plays the rest of a run after the outputs of its function calls were accepted. */
    Flux<RunEvent> playAfterToolOutputs(RunRecord run, String toolStepId, List<ToolOutput> outputs) {
        var beats = new ArrayList<Beat>();
        beats.add(new Beat(Duration.ZERO, () -> List.of(new RunStatusChanged(run.snapshot()))));
        beats.add(new Beat(settings.deltaInterval().multipliedBy(3), () -> {
            var inProgress = run.update(b -> b.status(RunStatus.IN_PROGRESS));
            RunStep toolStep = run.step(toolStepId).orElseThrow();
            List<ToolCall> answered = ((StepDetails.ToolCalls) toolStep.details()).toolCalls().stream()
                    .map(call -> call instanceof ToolCall.Function function
                            ? new ToolCall.Function(function.id(), function.name(), function.arguments(),
                                    outputFor(function.id(), outputs))
                            : call)
                    .toList();
            RunStep done = run.putStep(
                    finished(toolStep, RunStepStatus.COMPLETED, new StepDetails.ToolCalls(answered), null));
            return List.of(new RunStatusChanged(inProgress), new StepCompleted(done));
        }));
        String location = Scripts.location(run.input());
        answer(beats, run, Scripts.weatherAnswer(location, outputs.getFirst().output()));
        complete(beats, run);
        return play(run, beats);
    }

    /** Cancels a run that is not playing (it waits for tool outputs): no stream to tell. */
    void cancelNow(RunRecord run) {
        cancellation(run);
    }

    private Flux<RunEvent> play(RunRecord run, List<Beat> beats) {
        run.startPlaying();
        Flux<RunEvent> script = Flux.fromIterable(beats)
                .concatMap(beat -> delay(beat.delay())
                        .thenMany(Flux.defer(() -> Flux.fromIterable(
                                run.act(beat.action(), () -> streamedCancellation(run))))))
                .takeUntil(StreamEnded.class::isInstance);
        ConnectableFlux<RunEvent> playing = script.replay();
        playing.connect();
        return playing;
    }

    private static Mono<Long> delay(Duration delay) {
        return delay.isZero() ? Mono.just(0L) : Mono.delay(delay, Schedulers.parallel());
    }

    private void answer(List<Beat> beats, RunRecord run, String text) {
        OpenMessage message = streamMessage(beats, run, text);
        String messageId = message.messageId();
        String stepId = message.stepId();
        beats.add(new Beat(settings.deltaInterval(), () -> {
            String fullText = run.closeMessage();
            run.thread().addMessage(new MessageInput(MessageInput.Role.ASSISTANT, fullText));
            RunStep done = run.putStep(
                    finished(run.step(stepId).orElseThrow(), RunStepStatus.COMPLETED, null, null));
            var finishedMessage = new Message(messageId, run.threadId(), run.id(), fullText, List.of(), false);
            run.keepMessage(finishedMessage);
            return List.of(new MessageCompleted(finishedMessage), new StepCompleted(done));
        }));
    }

    private void complete(List<Beat> beats, RunRecord run) {
        beats.add(new Beat(settings.deltaInterval(), () -> {
            Usage usage = run.usage();
            var completed = run.update(b -> b.status(RunStatus.COMPLETED).completedAt(now()).usage(usage));
            return List.of(new RunStatusChanged(completed), new UsageReported(run.id(), usage),
                    new StreamEnded(run.threadId(), run.id(), RunStatus.COMPLETED, usage));
        }));
    }

    private void codeInterpreterCall(List<Beat> beats, RunRecord run) {
        String stepId = ids.next("step");
        String callId = ids.next("call");
        beats.add(new Beat(settings.thinkingPause(), () -> {
            RunStep step = run.putStep(newStep(run, stepId, RunStepType.TOOL_CALLS,
                    new StepDetails.ToolCalls(List.of(new ToolCall.CodeInterpreter(callId, "", List.of())))));
            return List.of(new StepCreated(step),
                    new ToolCallCreated(stepId, callId, ToolType.CODE_INTERPRETER, null));
        }));
        var code = new StringBuilder();
        for (String fragment : Scripts.codeFragments(Scripts.CODE)) {
            beats.add(new Beat(settings.deltaInterval(), () -> {
                code.append(fragment);
                run.countFragment();
                run.putStep(withToolCall(run.step(stepId).orElseThrow(),
                        new ToolCall.CodeInterpreter(callId, code.toString(), List.of())));
                return List.of(new CodeInputDelta(stepId, callId, fragment));
            }));
        }
        CodeOutput logs = new CodeOutput.Logs(Scripts.CODE_LOGS);
        beats.add(new Beat(settings.thinkingPause(), () -> {
            run.putStep(withToolCall(run.step(stepId).orElseThrow(),
                    new ToolCall.CodeInterpreter(callId, Scripts.CODE, List.of(logs))));
            return List.of(new CodeOutputAdded(stepId, callId, logs));
        }));
        beats.add(new Beat(settings.deltaInterval(), () -> List.of(new StepCompleted(run.putStep(
                finished(run.step(stepId).orElseThrow(), RunStepStatus.COMPLETED, null, null))))));
    }

    private void weatherCall(List<Beat> beats, RunRecord run) {
        String stepId = ids.next("step");
        String callId = ids.next("call");
        String location = Scripts.location(run.input());
        beats.add(new Beat(settings.thinkingPause(), () -> {
            RunStep step = run.putStep(newStep(run, stepId, RunStepType.TOOL_CALLS, new StepDetails.ToolCalls(
                    List.of(new ToolCall.Function(callId, Scripts.WEATHER_FUNCTION, "", null)))));
            return List.of(new StepCreated(step),
                    new ToolCallCreated(stepId, callId, ToolType.FUNCTION, Scripts.WEATHER_FUNCTION));
        }));
        var arguments = new StringBuilder();
        boolean first = true;
        for (String fragment : Scripts.weatherArgumentFragments(location)) {
            String name = first ? Scripts.WEATHER_FUNCTION : null;
            first = false;
            beats.add(new Beat(settings.deltaInterval(), () -> {
                arguments.append(fragment);
                run.countFragment();
                run.putStep(withToolCall(run.step(stepId).orElseThrow(),
                        new ToolCall.Function(callId, Scripts.WEATHER_FUNCTION, arguments.toString(), null)));
                return List.of(new FunctionArgumentsDelta(stepId, callId, name, fragment));
            }));
        }
        beats.add(new Beat(settings.deltaInterval(), () -> {
            var call = new RequiredToolCall(callId, Scripts.WEATHER_FUNCTION, arguments.toString());
            var waiting = run.update(b -> b.status(RunStatus.REQUIRES_ACTION)
                    .requiredAction(new RequiredAction(List.of(call))));
            return List.of(new RunStatusChanged(waiting),
                    new RequiresAction(run.threadId(), run.id(), List.of(call)),
                    new StreamEnded(run.threadId(), run.id(), RunStatus.REQUIRES_ACTION, null));
        }));
    }

    /** The run fails at the provider: a failed run with last_error, then a normal end. */
    private void failMidAnswer(List<Beat> beats, RunRecord run) {
        String messageId = streamMessage(beats, run, Scripts.FAILING_ANSWER).messageId();
        beats.add(new Beat(settings.thinkingPause(), () -> {
            var error = new RunError("server_error",
                    "The sandbox provider failed this run on purpose (the 'fail' scenario).");
            var events = new ArrayList<RunEvent>(closeOpenWork(run, messageId, RunStepStatus.FAILED, error));
            var failed = run.update(b -> b.status(RunStatus.FAILED).failedAt(now()).lastError(error));
            events.add(new RunStatusChanged(failed));
            events.add(new StreamEnded(run.threadId(), run.id(), RunStatus.FAILED, null));
            return events;
        }));
    }

    /** The stream itself breaks: onError with stream_interrupted; the stored run is marked failed. */
    private void interruptMidAnswer(List<Beat> beats, RunRecord run) {
        String messageId = streamMessage(beats, run, Scripts.INTERRUPTED_ANSWER).messageId();
        beats.add(new Beat(settings.thinkingPause(), () -> {
            var error = new RunError("stream_interrupted", "The sandbox provider broke the stream off on purpose.");
            closeOpenWork(run, messageId, RunStepStatus.FAILED, error);
            run.update(b -> b.status(RunStatus.FAILED).failedAt(now()).lastError(error));
            run.stopPlaying();
            throw StreamFailures.interrupted(
                    "The sandbox provider's stream broke off before the run ended (the 'interrupt' scenario).",
                    null, null);
        }));
    }

    /** Beats that create a message step and stream {@code text} into it, leaving the message open. */
    private OpenMessage streamMessage(List<Beat> beats, RunRecord run, String text) {
        String messageId = ids.next("msg");
        String stepId = ids.next("step");
        beats.add(new Beat(settings.thinkingPause(), () -> {
            RunStep step = run.putStep(newStep(run, stepId, RunStepType.MESSAGE_CREATION,
                    new StepDetails.MessageCreation(messageId)));
            run.openMessage(messageId);
            return List.of(new StepCreated(step), new MessageCreated(messageId, run.threadId(), run.id()),
                    new TextCreated(messageId, 0));
        }));
        for (String fragment : Scripts.textFragments(text)) {
            beats.add(new Beat(settings.deltaInterval(), () -> {
                run.appendText(fragment);
                return List.of(new TextDelta(messageId, 0, fragment, List.of()));
            }));
        }
        return new OpenMessage(messageId, stepId);
    }

    private record OpenMessage(String messageId, String stepId) {}

    /** The cancellation as a stream tells it: cancelling, open work cancelled, cancelled, end. */
    private List<RunEvent> streamedCancellation(RunRecord run) {
        var events = new ArrayList<RunEvent>();
        events.add(new RunStatusChanged(run.snapshot()));
        events.addAll(cancellation(run));
        events.add(new StreamEnded(run.threadId(), run.id(), RunStatus.CANCELLED, null));
        return events;
    }

    private List<RunEvent> cancellation(RunRecord run) {
        var events = new ArrayList<RunEvent>(
                closeOpenWork(run, run.openMessageId().orElse(null), RunStepStatus.CANCELLED, null));
        events.add(new RunStatusChanged(run.update(b -> b.status(RunStatus.CANCELLED).cancelledAt(now())
                .requiredAction(null))));
        return events;
    }

    /** Ends the message being written (incomplete) and every step still in progress. */
    private List<RunEvent> closeOpenWork(RunRecord run, String messageId, RunStepStatus status, RunError error) {
        var events = new ArrayList<RunEvent>();
        if (messageId != null && run.openMessageId().isPresent()) {
            String partialText = run.closeMessage();
            var message = new Message(messageId, run.threadId(), run.id(), partialText, List.of(), true);
            run.keepMessage(message);
            events.add(new MessageCompleted(message));
        }
        for (RunStep step : run.steps()) {
            if (step.status() == RunStepStatus.IN_PROGRESS) {
                events.add(new StepCompleted(run.putStep(finished(step, status, null, error))));
            }
        }
        return events;
    }

    private RunStep newStep(RunRecord run, String stepId, RunStepType type, StepDetails details) {
        return new RunStep(stepId, run.id(), run.threadId(), run.snapshot().assistantId(), type,
                RunStepStatus.IN_PROGRESS, details, null, now(), null, null, null, null, null, null);
    }

    /** The step ended with {@code status}; {@code details} null keeps the step's own. */
    private RunStep finished(RunStep step, RunStepStatus status, StepDetails details, RunError error) {
        Instant now = now();
        return new RunStep(step.id(), step.runId(), step.threadId(), step.assistantId(), step.type(), status,
                details == null ? step.details() : details, step.usage(), step.createdAt(),
                status == RunStepStatus.COMPLETED ? now : null,
                status == RunStepStatus.CANCELLED ? now : null,
                status == RunStepStatus.FAILED ? now : null,
                null, error, step.metadata());
    }

    private static RunStep withToolCall(RunStep step, ToolCall call) {
        return new RunStep(step.id(), step.runId(), step.threadId(), step.assistantId(), step.type(), step.status(),
                new StepDetails.ToolCalls(List.of(call)), step.usage(), step.createdAt(), step.completedAt(),
                step.cancelledAt(), step.failedAt(), step.expiredAt(), step.lastError(), step.metadata());
    }

    private static String outputFor(String toolCallId, List<ToolOutput> outputs) {
        return outputs.stream()
                .filter(output -> output.toolCallId().equals(toolCallId))
                .map(ToolOutput::output)
                .findFirst()
                .orElse(null);
    }

    private Instant now() {
        return clock.instant();
    }
}
