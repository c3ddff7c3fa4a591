package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunLifecycle;
import dev.runrelay.domain.run.RunOptions;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.Pages;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepType;
import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import reactor.core.publisher.Flux;

/** The sandbox's memory: threads, their runs and steps, and the operations the three ports share. */
final class SandboxWorld {

    static final String MODEL = "sandbox-1";
    static final String INSTRUCTIONS = "You are the RunRelay sandbox assistant: offline, scripted and deterministic.";
    static final List<Tool> DEFAULT_TOOLS = List.of(
            new Tool.CodeInterpreter(),
            new Tool.Function(Scripts.WEATHER_FUNCTION, "The current weather in a city.",
                    "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"},"
                            + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                            + "\"required\":[\"location\"]}",
                    null));

    /**
     * A started run: its snapshot as the provider answers the request (queued, before it plays on)
     * and its event stream (hot: it plays whether or not anyone subscribes).
     */
    record Started(Run accepted, Flux<RunEvent> events) {}

    private final SandboxIds ids;
    private final Clock clock;
    private final RunPlayer player;
    private final ConcurrentMap<String, ThreadRecord> threads = new ConcurrentHashMap<>();
    private final Queue<String> threadsOldestFirst = new ConcurrentLinkedQueue<>();
    private final int maxThreads;
    private final java.util.concurrent.atomic.AtomicInteger runsStarted = new java.util.concurrent.atomic.AtomicInteger();

    SandboxWorld(SandboxSettings settings, Clock clock) {
        this.maxThreads = settings.maxThreads();
        this.ids = new SandboxIds(settings.seed());
        this.clock = clock;
        this.player = new RunPlayer(settings, ids, clock);
    }

    /** How many runs were started so far: the sandbox's count of stream requests. */
    int runsStarted() {
        return runsStarted.get();
    }

    Started createThreadAndRun(CreateThreadAndRunCommand command) {
        runsStarted.incrementAndGet();
        var thread = new ThreadRecord(ids.next("thread"));
        threads.put(thread.id(), thread);
        threadsOldestFirst.add(thread.id());
        while (threads.size() > maxThreads) {
            String oldest = threadsOldestFirst.poll();
            if (oldest == null) {
                break;
            }
            threads.remove(oldest);
        }
        RunRecord run = thread.startRun(command.messages(),
                () -> newRun(thread, command.assistantId(), command.options()));
        return new Started(run.snapshot(), player.playNewRun(run, true));
    }

    Started createRun(CreateRunCommand command) {
        runsStarted.incrementAndGet();
        ThreadRecord thread = thread(command.threadId());
        RunRecord run = thread.startRun(command.additionalMessages(),
                () -> newRun(thread, command.assistantId(), command.options()));
        return new Started(run.snapshot(), player.playNewRun(run, false));
    }

    Started submitToolOutputs(SubmitToolOutputsCommand command) {
        RunRecord run = run(command.threadId(), command.runId());
        synchronized (run) {
            Run snapshot = run.snapshot();
            RunLifecycle.ensureAcceptsToolOutputs(run.id(), snapshot.status(),
                    snapshot.requiredAction() == null ? List.of()
                            : snapshot.requiredAction().toolCalls().stream().map(call -> call.id()).toList(),
                    command.toolOutputs().stream().map(ToolOutput::toolCallId).toList());
            String toolStepId = run.steps().stream()
                    .filter(step -> step.type() == RunStepType.TOOL_CALLS)
                    .reduce((first, second) -> second)
                    .map(RunStep::id)
                    .orElseThrow();
            Run accepted = run.update(b -> b.status(RunStatus.QUEUED).requiredAction(null));
            return new Started(accepted, player.playAfterToolOutputs(run, toolStepId, command.toolOutputs()));
        }
    }

    Run cancel(CancelRunCommand command) {
        RunRecord run = run(command.threadId(), command.runId());
        synchronized (run) {
            RunStatus status = run.status();
            RunLifecycle.ensureCancellable(run.id(), status);
            if (status == RunStatus.CANCELLING) {
                return run.snapshot();
            }
            if (run.playing()) {
                run.requestCancel();
                return run.update(b -> b.status(RunStatus.CANCELLING));
            }
            player.cancelNow(run);
            return run.snapshot();
        }
    }

    Run retrieve(RetrieveRunCommand command) {
        return run(command.threadId(), command.runId()).snapshot();
    }

    Page<Run> list(ListRunsCommand command) {
        List<Run> runs = thread(command.threadId()).runs().stream().map(RunRecord::snapshot).toList();
        return Pages.of(runs, Run::id, command.page());
    }

    Run update(UpdateRunCommand command) {
        return run(command.threadId(), command.runId()).update(b -> b.metadata(command.metadata()));
    }

    Page<RunStep> listSteps(ListRunStepsCommand command) {
        return Pages.of(run(command.threadId(), command.runId()).steps(), RunStep::id, command.page());
    }

    RunStep retrieveStep(RetrieveRunStepCommand command) {
        return run(command.threadId(), command.runId())
                .step(command.stepId())
                .orElseThrow(() -> new RunRelayException(ErrorCode.NOT_FOUND,
                        "No step " + command.stepId() + " in run " + command.runId() + "."));
    }

    List<dev.runrelay.domain.message.Message> listMessages(dev.runrelay.domain.message.ListRunMessagesCommand command) {
        return run(command.threadId(), command.runId()).messages();
    }

    private RunRecord newRun(ThreadRecord thread, String assistantId, RunOptions options) {
        var run = new Run(ids.next("run"), thread.id(), assistantId, RunStatus.QUEUED,
                options.model() == null ? MODEL : options.model(),
                options.instructions() == null ? INSTRUCTIONS : options.instructions(),
                options.tools() == null ? DEFAULT_TOOLS : options.tools(),
                clock.instant(), null, null, null, null, null, null, null, null, null,
                options.metadata(), options.settings());
        return new RunRecord(thread, run, thread.lastUserInput());
    }

    private ThreadRecord thread(String threadId) {
        ThreadRecord thread = threads.get(threadId);
        if (thread == null) {
            throw new RunRelayException(ErrorCode.NOT_FOUND, "No thread " + threadId + " in the sandbox.");
        }
        return thread;
    }

    private RunRecord run(String threadId, String runId) {
        return thread(threadId).run(runId).orElseThrow(() -> new RunRelayException(ErrorCode.NOT_FOUND,
                "No run " + runId + " in thread " + threadId + "."));
    }
}
