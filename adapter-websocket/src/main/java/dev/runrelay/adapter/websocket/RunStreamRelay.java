package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.ServerFrame.ChunkFrame;
import dev.runrelay.adapter.websocket.ServerFrame.CodeInputFrame;
import dev.runrelay.adapter.websocket.ServerFrame.CodeOutputFrame;
import dev.runrelay.adapter.websocket.ServerFrame.EndFrame;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorDescription;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorFrame;
import dev.runrelay.adapter.websocket.ServerFrame.FunctionCallFrame;
import dev.runrelay.adapter.websocket.ServerFrame.MessageDoneFrame;
import dev.runrelay.adapter.websocket.ServerFrame.RequiresActionFrame;
import dev.runrelay.adapter.websocket.ServerFrame.StartFrame;
import dev.runrelay.adapter.websocket.ServerFrame.StatusFrame;
import dev.runrelay.adapter.websocket.ServerFrame.StreamIds;
import dev.runrelay.adapter.websocket.ServerFrame.ToolCallFrame;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.shared.Usage;
import java.util.function.Function;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/**
 * One streamed run of one socket: turns its events into frames, numbering them 1, 2, 3, … and
 * stamping the thread and run ids as they become known, and guarantees {@code end} comes last.
 *
 * <p>Events are handled one at a time (Reactive Streams serializes them), so the counters need no
 * locking; the ids are volatile only because a disconnect reads them from another thread.
 */
final class RunStreamRelay {

    static final ErrorDescription INTERRUPTED = new ErrorDescription(ErrorCode.STREAM_INTERRUPTED.code(),
            ErrorCode.STREAM_INTERRUPTED.clientMessage(), true, null);

    private final String requestId;
    private volatile String threadId;
    private volatile String runId;
    private volatile RunStatus lastStatus;
    private volatile boolean ended;
    private long seq;
    private Usage usage;

    RunStreamRelay(String requestId, String threadId, String runId) {
        this.requestId = requestId;
        this.threadId = threadId;
        this.runId = runId;
    }

    /**
     * The frames of a stream of events: bounded buffering toward a slow client ({@code bufferSize}
     * frames, then {@code slow_consumer}), every failure as {@code error} then {@code end}, and an
     * {@code end} even when the upstream stops without saying it is done.
     */
    Flux<ServerFrame> frames(Flux<RunEvent> events, int bufferSize, Function<Throwable, ErrorDescription> errors) {
        return events
                // ERROR: the same bound, overflow error and delayed error as onBackpressureBuffer(bufferSize), but
                // in a queue that grows as frames wait (ArrayDeque) instead of an array of bufferSize allocated up
                // front: 8 KB per stream at 2,048, 64 MB of heap at 8,000 streams that rarely hold more than a few.
                .onBackpressureBuffer(bufferSize, BufferOverflowStrategy.ERROR)
                // map and filter, not handle (nor mapNotNull, which is a handle): with context-propagation on
                // the class path Reactor restores every registered thread local (Spring Security's observation,
                // OpenTelemetry, ...) around each handle call, 4-8 % of the relay's CPU in the s1000 profiles.
                .map(this::frameOrNone)
                .filter(frame -> frame != NONE)
                .concatWith(Flux.defer(() -> ended ? Flux.empty() : Flux.just(error(INTERRUPTED), end(INTERRUPTED))))
                .onErrorResume(failure -> {
                    if (ended) {
                        return Flux.empty();
                    }
                    ErrorDescription error = errors.apply(failure);
                    return Flux.just(error(error), end(error));
                });
    }

    /** Stands for "no frame" between the relay's map and filter (Reactor's map may not return null). */
    private static final ServerFrame NONE = new ServerFrame.PongFrame("none");

    private ServerFrame frameOrNone(RunEvent event) {
        ServerFrame frame = frameFor(event);
        return frame == null ? NONE : frame;
    }

    /** The frame for one event, or null for events the protocol does not show (ids are still recorded). */
    ServerFrame frameFor(RunEvent event) {
        if (ended) {
            return null;
        }
        return switch (event) {
            case RunEvent.TextDelta delta -> new ChunkFrame(requestId, threadId, runId, ++seq, delta.text(),
                    delta.messageId());
            case RunEvent.TextCreated created -> new StartFrame(requestId, threadId, runId, ++seq,
                    StartFrame.MESSAGE, created.messageId());
            case RunEvent.FunctionArgumentsDelta delta -> new FunctionCallFrame(requestId, threadId, runId, ++seq,
                    delta.toolCallId(), delta.name(), delta.fragment());
            case RunEvent.CodeInputDelta delta -> new CodeInputFrame(requestId, threadId, runId, ++seq,
                    delta.fragment(), delta.toolCallId());
            case RunEvent.CodeOutputAdded output -> CodeOutputFrame.from(ids(), ++seq, output);
            case RunEvent.ToolCallCreated call -> new ToolCallFrame(requestId, threadId, runId, ++seq,
                    call.toolType().wireValue(), call.toolCallId(), call.stepId(), call.functionName());
            case RunEvent.RunStatusChanged changed -> {
                knowIds(changed.run().threadId(), changed.run().id());
                lastStatus = changed.status();
                if (changed.run().usage() != null) {
                    usage = changed.run().usage();
                }
                yield new StatusFrame(requestId, threadId, runId, ++seq, changed.status().wireValue(),
                        WireData.ErrorData.from(changed.run().lastError()));
            }
            case RunEvent.RequiresAction action -> {
                knowIds(action.threadId(), action.runId());
                yield new RequiresActionFrame(requestId, threadId, runId, ++seq,
                        action.toolCalls().stream().map(RequiresActionFrame.ToolCallData::from).toList());
            }
            case RunEvent.MessageCompleted completed -> MessageDoneFrame.from(ids(), ++seq, completed.message());
            case RunEvent.StreamEnded streamEnded -> {
                knowIds(streamEnded.threadId(), streamEnded.runId());
                lastStatus = streamEnded.finalStatus();
                if (streamEnded.usage() != null) {
                    usage = streamEnded.usage();
                }
                ended = true;
                yield new EndFrame(requestId, threadId, runId, ++seq,
                        lastStatus == null ? null : lastStatus.wireValue(), ServerFrame.usage(usage), null);
            }
            case RunEvent.ThreadCreated created -> {
                knowIds(created.threadId(), null);
                yield null;
            }
            case RunEvent.MessageCreated created -> {
                knowIds(created.threadId(), created.runId());
                yield null;
            }
            case RunEvent.UsageReported reported -> {
                usage = reported.usage();
                yield null;
            }
            case RunEvent.StepCreated ignored -> null;
            case RunEvent.StepCompleted ignored -> null;
            case RunEvent.FileSearchCalled ignored -> null;
        };
    }

    ErrorFrame error(ErrorDescription error) {
        return new ErrorFrame(requestId, threadId, runId, ++seq, error.code(), error.message(), error.retryable(),
                error.field(), error.retryAfterMs());
    }

    /**
     * The {@code end} after a failure. Its status is always one a run keeps: the one the stream (or the
     * recovery after it, see RunRecovery) last told; {@code failed} when the run never started or its
     * state could not be learned (the recovery has then asked the provider to cancel it).
     */
    EndFrame end(ErrorDescription error) {
        ended = true;
        RunStatus status = lastStatus != null && (lastStatus.isTerminal() || lastStatus == RunStatus.REQUIRES_ACTION)
                ? lastStatus
                : RunStatus.FAILED;
        return new EndFrame(requestId, threadId, runId, ++seq, status.wireValue(), ServerFrame.usage(usage),
                error.code());
    }

    private void knowIds(String thread, String run) {
        if (thread != null && threadId == null) {
            threadId = thread;
        }
        if (run != null && runId == null) {
            runId = run;
        }
    }

    private StreamIds ids() {
        return new StreamIds(requestId, threadId, runId);
    }

    String requestId() {
        return requestId;
    }

    String threadId() {
        return threadId;
    }

    String runId() {
        return runId;
    }

    /** Whether the run may still be going on at the provider (not ended, and not known to be terminal). */
    boolean mayBeRunning() {
        RunStatus status = lastStatus;
        return !ended && (status == null || !status.isTerminal());
    }
}
