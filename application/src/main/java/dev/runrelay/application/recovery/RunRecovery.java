package dev.runrelay.application.recovery;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.runrelay.bridge.StreamContext;
import dev.runrelay.bridge.StreamLogScope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The owner of "what happened to the run" after its stream broke for any reason (a dropped connection,
 * unreadable data, a provider {@code error} event, a stall, resumption given up). It asks the provider
 * through the guarded {@link RunPort} how the run really stands, waits a bounded time for a run that is
 * still going, cancels it when that time is up (nobody would see the rest of it), and tells the
 * subscriber the final truth before the failure: a {@link RunEvent.RunStatusChanged} with a status the
 * run keeps ({@code completed}, {@code requires_action}, {@code failed}, {@code cancelled},
 * {@code expired}, {@code incomplete}), plus {@link RunEvent.RequiresAction} when it waits for tool
 * outputs. A run that ended during the outage first delivers the finished messages the subscriber has not
 * seen ({@link RunEvent.MessageCompleted}, read through the guarded {@link RunStepPort}), so a run that
 * completed meanwhile still gives its final answer. The failure itself then goes on unchanged, so the
 * client reads what went wrong.
 *
 * <p>A failure before any run existed (refused, rate limited past the retry budget) has nothing to
 * recover and goes on alone.
 *
 * <p>Its log lines are written after polls, on whatever thread answers, so they are written through
 * {@link StreamContext#log}: they carry the stream's request id and, in the given {@link StreamLogScope}, its
 * trace id, like the socket adapter's lines about the same stream.
 */
public final class RunRecovery {

    private static final System.Logger log = System.getLogger(RunRecovery.class.getName());

    private final RunPort runs;
    private final RunStepPort steps;
    private final RecoverySettings settings;
    private final StreamLogScope logScope;

    /** Logs with the stream's request id, in no scope of its own (no tracing). */
    public RunRecovery(RunPort runs, RunStepPort steps, RecoverySettings settings) {
        this(runs, steps, settings, StreamLogScope.NONE);
    }

    /** @param logScope where a line about a stream is written (its trace), found in the stream's context */
    public RunRecovery(RunPort runs, RunStepPort steps, RecoverySettings settings, StreamLogScope logScope) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logScope = Objects.requireNonNull(logScope, "logScope");
    }

    /**
     * The events of {@code stream}, followed after a failure by the run's final status.
     *
     * @param threadId the thread when the command names it, else null (learned from the events)
     * @param runId the run when the command names it, else null
     */
    public Flux<RunEvent> recovering(Flux<RunEvent> stream, String threadId, String runId) {
        return Flux.deferContextual(context -> {
            var seen = new Seen(threadId, runId);
            return stream.doOnNext(seen::observe).onErrorResume(failure -> {
                if (seen.ended || seen.threadId == null || seen.runId == null) {
                    return Flux.error(failure);
                }
                return finalState(seen.threadId, seen.runId, failure, context)
                        .flatMapMany(run -> unseenMessages(run, seen, context).concatWith(Flux.fromIterable(truth(run))))
                        .concatWith(Flux.error(failure));
            });
        });
    }

    /** The run once it keeps its status: retrieved, polled while it goes on, cancelled when the time is up. */
    private Mono<Run> finalState(String threadId, String runId, Throwable failure, ContextView stream) {
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        return retrieve(threadId, runId)
                .expand(run -> isSettled(run) || System.nanoTime() >= deadline
                        ? Mono.empty()
                        : Mono.delay(settings.pollInterval()).then(retrieve(threadId, runId)))
                .last()
                .flatMap(run -> isSettled(run) ? Mono.just(run) : cancelled(run))
                .doOnNext(run -> logAbout(stream, () -> log.log(System.Logger.Level.INFO,
                        "run recovered after its stream broke: threadId={0} runId={1} status={2} failure={3}",
                        threadId, runId, run.status().wireValue(), codeOf(failure))))
                .onErrorResume(unreachable -> {
                    logAbout(stream, () -> log.log(System.Logger.Level.WARNING,
                            "run could not be recovered after its stream broke: threadId={0} runId={1} failure={2}"
                                    + " recovery={3}; asking the provider to cancel it", threadId, runId,
                            codeOf(failure), codeOf(unreachable)));
                    // Its state is unknown: stop it if the provider can still be told, so it spends nothing unseen.
                    return Mono.fromCompletionStage(() -> runs.cancel(new CancelRunCommand(threadId, runId)))
                            .onErrorResume(cancelFailed -> Mono.empty())
                            .then(Mono.empty());
                });
    }

    /** Cancels a run nobody will see finish; it is reported cancelled once the provider accepted that. */
    private Mono<Run> cancelled(Run run) {
        return Mono.fromCompletionStage(() -> runs.cancel(new CancelRunCommand(run.threadId(), run.id())))
                .onErrorResume(RunRelayException.class, refused -> refused.code() == ErrorCode.CONFLICT
                        ? retrieve(run.threadId(), run.id()) // it ended meanwhile: keep what it became
                        : Mono.error(refused))
                .map(answer -> isSettled(answer) ? answer : withStatus(answer, RunStatus.CANCELLED));
    }

    /**
     * The finished messages of a run that ended (or waits for tool outputs) which the subscriber has not
     * seen finished. A cancelled run's partial message is not an answer; when the messages cannot be read
     * the run's status still goes out.
     */
    private Flux<RunEvent> unseenMessages(Run run, Seen seen, ContextView stream) {
        if (run.status() == RunStatus.CANCELLED || !isSettled(run)) {
            return Flux.empty();
        }
        return Mono.fromCompletionStage(() -> steps.listMessages(new ListRunMessagesCommand(run.threadId(), run.id())))
                .flatMapIterable(messages -> messages)
                .filter(message -> !seen.completedMessages.contains(message.id()))
                .<RunEvent>map(RunEvent.MessageCompleted::new)
                .onErrorResume(unreadable -> {
                    logAbout(stream, () -> log.log(System.Logger.Level.WARNING,
                            "the messages of a recovered run could not be read: threadId={0} runId={1} failure={2}",
                            run.threadId(), run.id(), codeOf(unreadable)));
                    return Flux.empty();
                });
    }

    /** A line about the stream whose context is {@code stream}: with its request id, in its scope (trace). */
    private void logAbout(ContextView stream, Runnable logLine) {
        StreamContext.log(stream, logScope, logLine);
    }

    private Mono<Run> retrieve(String threadId, String runId) {
        return Mono.fromCompletionStage(() -> runs.retrieve(new RetrieveRunCommand(threadId, runId)));
    }

    /** A status the run keeps without anyone streaming it. */
    static boolean isSettled(Run run) {
        return run.status() != null && (run.status().isTerminal() || run.status() == RunStatus.REQUIRES_ACTION);
    }

    private static List<RunEvent> truth(Run run) {
        var events = new ArrayList<RunEvent>(2);
        events.add(new RunEvent.RunStatusChanged(run));
        if (run.status() == RunStatus.REQUIRES_ACTION && run.requiredAction() != null) {
            events.add(new RunEvent.RequiresAction(run.threadId(), run.id(), run.requiredAction().toolCalls()));
        }
        return events;
    }

    private static Run withStatus(Run run, RunStatus status) {
        return new Run(run.id(), run.threadId(), run.assistantId(), status, run.model(), run.instructions(),
                run.tools(), run.createdAt(), run.startedAt(), run.expiresAt(), run.cancelledAt(), run.failedAt(),
                run.completedAt(), run.requiredAction(), run.lastError(), run.incompleteDetails(), run.usage(),
                run.metadata(), run.settings());
    }

    private static String codeOf(Throwable failure) {
        return failure instanceof RunRelayException domain ? domain.code().code() : failure.getClass().getName();
    }

    /** What the stream told so far: the ids, and whether it reached its end. */
    private static final class Seen {
        volatile String threadId;
        volatile String runId;
        volatile boolean ended;
        final Set<String> completedMessages = ConcurrentHashMap.newKeySet();

        Seen(String threadId, String runId) {
            this.threadId = threadId;
            this.runId = runId;
        }

        void observe(RunEvent event) {
            switch (event) {
                case RunEvent.ThreadCreated created -> threadId = created.threadId();
                case RunEvent.RunStatusChanged changed -> {
                    threadId = changed.run().threadId();
                    runId = changed.run().id();
                }
                case RunEvent.RequiresAction action -> {
                    threadId = action.threadId();
                    runId = action.runId();
                }
                case RunEvent.StreamEnded end -> ended = true;
                case RunEvent.MessageCompleted completed -> completedMessages.add(completed.message().id());
                default -> {}
            }
        }
    }
}
