package dev.runrelay.adapter.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.OpenAIClientAsyncImpl;
import com.openai.core.ClientOptions;
import com.openai.core.Timeout;
import dev.runrelay.adapter.openai.transport.ReactorNettyHttpClient;
import dev.runrelay.adapter.openai.transport.SdkWarmUp;

/**
 * The openai-java clients of one provider, built from {@link OpenAiSettings} over
 * {@link ReactorNettyHttpClient}, shared by the Assistants and the Responses adapters.
 *
 * <p>Threads: none per request or per stream. Requests and stream bodies are read on Reactor Netty's
 * event loops (shared with the WebFlux server); openai-java only builds requests and parses responses.
 * Streams are read by the adapters from the {@link dev.runrelay.adapter.openai.transport.StreamingBody}
 * behind openai-java's raw response, so openai-java's stream-handler executor is never used.
 *
 * <p>Cancellation: cancelling a stream's subscription (or closing its response) closes its connection at
 * once, from any thread. {@link #close()} closes every pooled connection.
 */
public final class OpenAiClients implements AutoCloseable {

    private final OpenAIClientAsync async;

    private OpenAiClients(OpenAiSettings settings) {
        SdkWarmUp.startOnce();
        Timeout timeout = Timeout.builder()
                .connect(settings.connectTimeout())
                .read(settings.readTimeout())
                .write(settings.readTimeout())
                .request(settings.requestTimeout())
                .build();
        var transport = new ReactorNettyHttpClient(settings.connectTimeout(), settings.readTimeout(),
                settings.requestTimeout(), settings.maxConcurrentRequests());
        this.async = new OpenAIClientAsyncImpl(ClientOptions.builder()
                .httpClient(transport)
                // Set explicitly so no per-request default (10 minutes overall) replaces ours.
                .timeout(timeout)
                .apiKey(settings.apiKey())
                .baseUrl(settings.baseUrl())
                .organization(settings.organization())
                .project(settings.project())
                .maxRetries(settings.maxRetries())
                // Never used by RunRelay (streams are read from the event loop); runs inline if ever.
                .streamHandlerExecutor(Runnable::run)
                .build());
    }

    public static OpenAiClients create(OpenAiSettings settings) {
        return new OpenAiClients(settings);
    }

    /** The non-blocking client: use it for the CompletionStage ports and for streams. */
    public OpenAIClientAsync async() {
        return async;
    }

    /** The blocking view of the same client (same transport); never call it on an event loop. */
    public OpenAIClient blocking() {
        return async.sync();
    }

    @Override
    public void close() {
        async.close();
    }
}
