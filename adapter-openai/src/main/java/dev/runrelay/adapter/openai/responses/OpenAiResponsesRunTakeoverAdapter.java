package dev.runrelay.adapter.openai.responses;

import com.openai.models.responses.ResponseRetrieveParams;
import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.port.RunTakeoverPort;
import java.time.Clock;
import java.util.concurrent.Flow;
import reactor.core.publisher.Flux;

/**
 * Takes over a Responses run by re-attaching to its background response (docs/adr/0025): the run's
 * newest response, as the shared ledger records it, is streamed again with
 * {@code GET /v1/responses/{id}?stream=true}, through the same mapping and ledger updates as the stream
 * that started it (ResponsesRuns), so the response's end is recorded by whichever instance reads it.
 *
 * <p>It re-attaches from the response's first event, not from {@code starting_after}: the run's log
 * holds the frames the gateway sent, not the provider's sequence numbers, and a frame does not say which
 * event it came from. The caller lines the events up with the log by content and drops what was
 * delivered; the price is re-reading the response's events once per takeover.
 */
public final class OpenAiResponsesRunTakeoverAdapter implements RunTakeoverPort {

    private final ResponsesRuns runs;

    OpenAiResponsesRunTakeoverAdapter(ResponsesRuns runs) {
        this.runs = runs;
    }

    /** The takeover over the provider's clients (owned and closed by the caller) and the shared ledger. */
    public static RunTakeoverPort create(OpenAiClients clients, ResponsesSettings settings, RunLedgerPort ledger) {
        return new OpenAiResponsesRunTakeoverAdapter(new ResponsesRuns(clients.async(), ledger, settings, Clock.systemUTC()));
    }

    @Override
    public Flow.Publisher<RunEvent> continueStream(String threadId, String runId) {
        return FlowBridge.toFlow(runs.find(threadId, runId).flatMapMany(record -> {
            if (record.responseIds().isEmpty()) {
                return Flux.error(StreamFailures.interrupted(
                        "Run " + runId + " has no response to re-attach to", null, null));
            }
            ResponseRetrieveParams params = ResponseRetrieveParams.builder()
                    .responseId(record.responseIds().getLast())
                    .include(ResponseRequests.INCLUDE)
                    .build();
            return runs.stream(runId, () -> runs.client.responses().withRawResponse().retrieveStreaming(params));
        }));
    }
}
