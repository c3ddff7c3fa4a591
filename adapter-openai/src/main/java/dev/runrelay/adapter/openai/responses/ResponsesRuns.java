package dev.runrelay.adapter.openai.responses;

import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.models.responses.ResponseCancelParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.adapter.openai.responses.ResponseMapping.RunRecordView;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunLifecycle;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.shared.PageRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the three Responses adapters share: the client, the run ledger, and the run lifecycle on top of
 * responses (one stable run id across the responses of a run, synthesised requires_action and expiry,
 * resumable streams).
 */
final class ResponsesRuns {

    private static final Logger log = LoggerFactory.getLogger(ResponsesRuns.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LEDGER_CONFLICTS = 16;

    final OpenAIClientAsync client;
    final RunLedgerPort ledger;
    final ResponsesSettings settings;
    final ResponseRequests requests;
    final Clock clock;

    ResponsesRuns(OpenAIClientAsync client, RunLedgerPort ledger, ResponsesSettings settings, Clock clock) {
        this.client = client;
        this.ledger = ledger;
        this.settings = settings;
        this.requests = new ResponseRequests(settings);
        this.clock = clock;
    }

    static String newRunId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "run_" + HexFormat.of().formatHex(bytes);
    }

    static RunRecordView view(RunRecord record) {
        return new RunRecordView(record.runId(), record.threadId(), record.assistantId());
    }

    // ---- ledger ---------------------------------------------------------------------------------

    /** The run, which must belong to the thread; not_found otherwise (as the API answers). */
    Mono<RunRecord> find(String threadId, String runId) {
        return Mono.fromCompletionStage(() -> ledger.find(runId))
                .flatMap(found -> found.filter(r -> r.threadId().equals(threadId))
                        .map(Mono::just)
                        .orElseGet(() -> Mono.error(new RunRelayException(ErrorCode.NOT_FOUND,
                                "No run " + runId + " in thread " + threadId))));
    }

    /** Applies {@code change} to the stored record, compare-and-set, reading again after a conflict. */
    Mono<RunRecord> update(String runId, UnaryOperator<RunRecord> change) {
        return update(runId, change, 0);
    }

    private Mono<RunRecord> update(String runId, UnaryOperator<RunRecord> change, int conflicts) {
        return Mono.fromCompletionStage(() -> ledger.find(runId))
                .map(found -> found.orElseThrow(() -> new RunRelayException(ErrorCode.NOT_FOUND, "No run " + runId)))
                .flatMap(current -> {
                    RunRecord next = change.apply(current);
                    if (next.equals(current)) {
                        return Mono.just(current);
                    }
                    return Mono.fromCompletionStage(() -> ledger.replace(next, current.version()))
                            .flatMap(stored -> stored.map(Mono::just).orElseGet(() -> conflicts >= MAX_LEDGER_CONFLICTS
                                    ? Mono.error(new RunRelayException(ErrorCode.CONFLICT, "Run " + runId + " is being changed concurrently"))
                                    : update(runId, change, conflicts + 1)));
                });
    }

    /** A run waiting past its expiry becomes expired; its calls are answered so the thread takes input again. */
    Mono<RunRecord> expireIfOverdue(RunRecord record) {
        if (!RunLifecycle.isOverdue(record.status(), record.expiresAt(), clock.instant())) {
            return Mono.just(record);
        }
        return closePendingCalls(record, "expired")
                .then(update(record.runId(), r -> r.status() == RunStatus.REQUIRES_ACTION ? r.withStatus(RunStatus.EXPIRED) : r));
    }

    /**
     * Makes a thread ready for a new run: expires its runs that waited too long for tool outputs (their
     * calls get answered); a run still waiting is a conflict, as on Assistants ("already has an active run").
     */
    Mono<Void> prepareThread(String threadId) {
        return Mono.fromCompletionStage(() -> ledger.listByThread(threadId, PageRequest.of(PageRequest.MAX_LIMIT, null, null, null)))
                .flatMapMany(page -> Flux.fromIterable(page.data()))
                .filter(record -> record.status() == RunStatus.REQUIRES_ACTION)
                .concatMap(this::expireIfOverdue)
                .filter(record -> record.status() == RunStatus.REQUIRES_ACTION)
                .doOnNext(waiting -> RunLifecycle.ensureNoActiveRun(threadId, waiting.runId(), waiting.status()))
                .then();
    }

    /** Answers the calls nobody will answer, so the conversation does not refuse new input. */
    Mono<Void> closePendingCalls(RunRecord record, String reason) {
        if (record.pendingToolCalls().isEmpty()) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> client.conversations().items()
                        .create(ResponseRequests.closingOutputs(record.threadId(), record.pendingToolCalls(), reason)))
                .then();
    }

    // ---- streams --------------------------------------------------------------------------------

    /** Starts a new run's first response in a conversation and streams it. */
    Flux<RunEvent> startAndStream(RunRecord record, ResponseCreateParams params) {
        return prepareThread(record.threadId())
                .then(Mono.fromCompletionStage(() -> ledger.insert(record)))
                .flatMapMany(inserted -> inserted
                        ? stream(record.runId(), () -> client.responses().withRawResponse().createStreaming(params))
                        : Flux.error(new RunRelayException(ErrorCode.CONFLICT, "Run id " + record.runId() + " is taken")));
    }

    /** {@code announcement} just before the first event of {@code events}, and not at all if none comes. */
    static Flux<RunEvent> announcedAtFirstEvent(Flux<RunEvent> events, RunEvent announcement) {
        return events.switchOnFirst((first, all) -> first.hasValue() ? Flux.just(announcement).concatWith(all) : all);
    }

    /**
     * A run whose stream fails before its first event never started: its ledger record is marked failed
     * (a client that lists runs sees the attempt for what it was) and {@code cleanup} undoes what was
     * created for it (a new conversation). The failure itself goes on unchanged, for the aspect to retry.
     */
    Flux<RunEvent> abandonedIfNoEvent(Flux<RunEvent> events, RunRecord record, Mono<Void> cleanup) {
        return Flux.defer(() -> {
            var started = new java.util.concurrent.atomic.AtomicBoolean();
            return events.doOnNext(event -> started.set(true)).onErrorResume(failure -> started.get()
                    ? Flux.error(failure)
                    : update(record.runId(), r -> r.status() == RunStatus.QUEUED ? r.withStatus(RunStatus.FAILED) : r)
                            .then()
                            .onErrorResume(notStored -> Mono.empty())
                            .then(cleanup)
                            .onErrorResume(cleanupFailure -> {
                                log.warn("Could not clean up after run {} that never started: {}", record.runId(),
                                        cleanupFailure.getClass().getName());
                                return Mono.empty();
                            })
                            .then(Mono.error(failure)));
        });
    }

    Mono<Void> deleteConversation(String conversationId) {
        return Mono.fromCompletionStage(() -> client.conversations().delete(conversationId)).then();
    }

    /**
     * Claims a run waiting for {@code outputs} (so no other request or instance submits them too), or
     * fails with the reason it cannot take them.
     */
    record Claim(RunRecord before, RunRecord claimed) {}

    Mono<Claim> claimForOutputs(String threadId, String runId, List<ToolOutput> outputs) {
        return find(threadId, runId)
                .flatMap(this::expireIfOverdue)
                .flatMap(record -> {
                    check(record, outputs);
                    return Mono.fromCompletionStage(() -> ledger.replace(record.withStatus(RunStatus.QUEUED), record.version()))
                            .flatMap(claimed -> claimed.map(c -> Mono.just(new Claim(record, c)))
                                    .orElseGet(() -> claimForOutputs(threadId, runId, outputs)));
                });
    }

    private static void check(RunRecord record, List<ToolOutput> outputs) {
        RunLifecycle.ensureAcceptsToolOutputs(record.runId(), record.status(),
                record.pendingToolCalls().stream().map(RequiredToolCall::id).toList(),
                outputs.stream().map(ToolOutput::toolCallId).toList());
    }

    /** The continuation of a claimed run; if it cannot even start, the run waits for the outputs again. */
    Flux<RunEvent> continueAndStream(RunRecord claimed, RunRecord beforeClaim, List<ToolOutput> outputs) {
        ResponseCreateParams params = requests.continuation(claimed.threadId(), claimed.model(), outputs);
        return stream(claimed.runId(), () -> client.responses().withRawResponse().createStreaming(params))
                .onErrorResume(failure -> restoreIfNoResponse(claimed, beforeClaim).then(Mono.error(failure)));
    }

    Mono<RunRecord> restoreIfNoResponse(RunRecord claimed, RunRecord beforeClaim) {
        return update(claimed.runId(), current -> current.responseIds().size() == claimed.responseIds().size()
                        && current.status() == RunStatus.QUEUED
                ? current.awaitingToolOutputs(beforeClaim.pendingToolCalls(), beforeClaim.expiresAt())
                : current)
                .onErrorResume(e -> Mono.empty());
    }

    /**
     * Streams a run's response opened by {@code open}: maps its events, records the response in the
     * ledger, resumes from the last sequence number after a broken connection, and ends with the run's
     * status once the response ends.
     */
    Flux<RunEvent> stream(String runId, RawStream open) {
        return Mono.fromCompletionStage(() -> ledger.find(runId))
                .map(Optional::orElseThrow)
                .flatMapMany(initial -> {
                    var mapper = new ResponseEventMapper(view(initial));
                    var resume = new ResumeState();
                    var current = new AtomicReference<>(initial);
                    return resilient(open, resume).concatMap(event -> onEvent(runId, event, mapper, current));
                });
    }

    private Flux<RunEvent> onEvent(
            String runId, ResponseEvent event, ResponseEventMapper mapper, AtomicReference<RunRecord> current) {
        if (event.isTextDelta()) {
            // Nearly every event: no error, no response, not terminal; only the mapping.
            return fluxOf(mapper.map(event, current.get()));
        }
        if (event.isError()) {
            // The provider gave up on the response: the run failed, whoever asks next.
            RunRelayException failure = providerError(event);
            return update(runId, r -> r.status().isTerminal() ? r : r.withStatus(RunStatus.FAILED))
                    .onErrorResume(notStored -> Mono.empty())
                    .thenMany(Flux.error(failure));
        }
        Optional<ResponseView> response = ResponseEventMapper.response(event);
        if (event.isTerminal()) {
            ResponseView done = event.required(response.orElse(null), "response");
            List<RequiredToolCall> waiting = ResponseEventMapper.waitingCalls(done);
            Instant until = clock.instant().plus(settings.requiresActionExpiry());
            return update(runId, r -> {
                RunRecord withResponse = r.withResponse(done.id());
                return waiting.isEmpty()
                        ? withResponse.withStatus(ResponseMapping.status(done))
                        : withResponse.awaitingToolOutputs(waiting, until);
            }).doOnNext(current::set).flatMapIterable(record -> mapper.terminalEvents(done, record));
        }
        if (response.isPresent() && !current.get().responseIds().contains(response.get().id())) {
            String responseId = response.get().id();
            return update(runId, r -> r.withResponse(responseId).withStatus(RunStatus.IN_PROGRESS))
                    .doOnNext(current::set)
                    .flatMapIterable(record -> mapper.map(event, record));
        }
        return fluxOf(mapper.map(event, current.get()));
    }

    /**
     * The events as the Flux that concatMap handles cheapest: empty and single events are scalar sources,
     * which it takes without subscribing an inner stream (a plain delta maps to one event).
     */
    private static Flux<RunEvent> fluxOf(List<RunEvent> events) {
        return switch (events.size()) {
            case 0 -> Flux.empty();
            case 1 -> Flux.just(events.getFirst());
            default -> Flux.fromIterable(events);
        };
    }

    /** A stream request as openai-java sends it, answered with its raw response (read by {@link ResponseEventStream}). */
    interface RawStream extends Supplier<CompletableFuture<HttpResponseFor<StreamResponse<ResponseStreamEvent>>>> {}

    /** Where an interrupted stream resumes: the response and the last sequence number delivered. */
    private static final class ResumeState {
        volatile String responseId;
        volatile long lastSequence = -1;
        volatile boolean ended;
        int attempts;
    }

    /** Signals a stream that closed cleanly before the response ended. */
    private static final class EndedEarly extends RuntimeException {
        EndedEarly() {
            super("the response stream ended before the response did", null, false, false);
        }
    }

    private Flux<ResponseEvent> resilient(RawStream open, ResumeState resume) {
        return ResponseEventStream.events(open)
                // One operator per event for the resume bookkeeping: drops what the subscriber already has, and
                // records where the stream is for every event it lets through.
                .filter(event -> {
                    long sequence = event.sequenceNumber();
                    // A resumed stream repeats nothing the subscriber already has.
                    if (sequence >= 0 && sequence <= resume.lastSequence) {
                        return false;
                    }
                    if (sequence >= 0) {
                        resume.lastSequence = sequence;
                    }
                    if (!event.isTextDelta()) {
                        ResponseEventMapper.response(event).ifPresent(r -> resume.responseId = r.id());
                        if (event.isTerminal() || event.isError()) {
                            resume.ended = true;
                        }
                    }
                    return true;
                })
                .concatWith(Flux.defer(() -> resume.ended ? Flux.empty() : Flux.error(new EndedEarly())))
                .onErrorResume(failure -> {
                    if (failure instanceof OpenAIInvalidDataException unreadable) {
                        // Data that cannot be read is not resumed (it may come again): the stream broke, as on Assistants.
                        return Flux.error(StreamFailures.interrupted("OpenAI sent stream data that could not be read",
                                null, unreadable));
                    }
                    boolean interrupted = failure instanceof EndedEarly || failure instanceof OpenAIIoException;
                    if (!interrupted) {
                        return Flux.error(failure);
                    }
                    if (resume.responseId == null && failure instanceof OpenAIIoException) {
                        return Flux.error(failure); // nothing to resume; the translator knows whether it was sent
                    }
                    if (resume.responseId == null || resume.attempts >= settings.resumeAttempts()) {
                        return Flux.error(StreamFailures.interrupted("The OpenAI response stream was interrupted"
                                + (resume.responseId == null ? " before the response was created" : " and could not be resumed"),
                                null, failure));
                    }
                    if (failure instanceof EndedEarly) {
                        // A stream that closed cleanly may belong to a response that did end: cancelled
                        // responses send no event openai-java knows. Its stored state decides.
                        return retrieveResponse(resume.responseId).flatMapMany(response ->
                                ResponseMapping.status(response).isTerminal()
                                        ? Flux.just(endedAs(response, resume))
                                        : resumed(resume));
                    }
                    return resumed(resume);
                });
    }

    private Flux<ResponseEvent> resumed(ResumeState resume) {
        resume.attempts++;
        String responseId = resume.responseId;
        long after = resume.lastSequence;
        log.info("Resuming response {} after sequence number {} (attempt {})", responseId, after, resume.attempts);
        ResponseRetrieveParams params = ResponseRetrieveParams.builder()
                .responseId(responseId).startingAfter(after).include(ResponseRequests.INCLUDE).build();
        return Mono.delay(settings.resumeBackoff())
                .thenMany(resilient(() -> client.responses().withRawResponse().retrieveStreaming(params), resume));
    }

    /**
     * The terminal event a response that ended without one would have sent ({@code response.cancelled},
     * {@code response.completed}, ...), built from its final state as the provider stores it, and read
     * like any event of the stream.
     */
    private static ResponseEvent endedAs(ResponseView response, ResumeState resume) {
        resume.ended = true;
        return ResponseEvent.endedAs(response, resume.lastSequence + 1);
    }

    /** An {@code error} event: the provider gave up on the response. */
    static RunRelayException providerError(ResponseEvent error) {
        return OpenAiErrorTranslator.fromErrorEvent(error.code(), error.required(error.message(), "message"), null, null);
    }

    // ---- request/response -----------------------------------------------------------------------

    Mono<ResponseView> retrieveResponse(String responseId) {
        return Mono.fromCompletionStage(() -> client.responses().retrieve(
                ResponseRetrieveParams.builder().responseId(responseId).include(ResponseRequests.INCLUDE).build()))
                .map(ResponseView::of);
    }

    Mono<List<ResponseView>> responses(RunRecord record) {
        return Flux.fromIterable(record.responseIds()).flatMapSequential(this::retrieveResponse).collectList();
    }

    Mono<ResponseView> cancelResponse(String responseId) {
        return Mono.fromCompletionStage(() -> client.responses().cancel(
                ResponseCancelParams.builder().responseId(responseId).build()))
                .map(ResponseView::of);
    }

    /**
     * The record brought up to date with its newest response (a run nobody streamed learns here that it
     * ended or waits for tool outputs), and the responses it was derived from.
     */
    Mono<Snapshot> reconcile(RunRecord stored) {
        return expireIfOverdue(stored).flatMap(record -> responses(record).flatMap(responses -> {
            if (responses.isEmpty() || record.status() != RunStatus.IN_PROGRESS) {
                return Mono.just(new Snapshot(record, responses));
            }
            ResponseView latest = responses.getLast();
            RunStatus status = ResponseMapping.status(latest);
            if (!status.isTerminal()) {
                return Mono.just(new Snapshot(record, responses));
            }
            List<RequiredToolCall> waiting = ResponseEventMapper.waitingCalls(latest);
            Instant until = clock.instant().plus(settings.requiresActionExpiry());
            return update(record.runId(), r -> r.status() != RunStatus.IN_PROGRESS ? r
                    : waiting.isEmpty() ? r.withStatus(status) : r.awaitingToolOutputs(waiting, until))
                    .map(updated -> new Snapshot(updated, responses));
        }));
    }

    record Snapshot(RunRecord record, List<ResponseView> responses) {
        /** The status a client sees: the ledger's where it knows better (requires_action, expired, cancelled). */
        RunStatus status() {
            if (responses.isEmpty() || record.status() != RunStatus.IN_PROGRESS) {
                return record.status();
            }
            return ResponseMapping.status(responses.getLast());
        }
    }
}
