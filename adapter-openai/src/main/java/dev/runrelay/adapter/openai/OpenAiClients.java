package dev.runrelay.adapter.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.Timeout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The openai-java clients of one provider, built from {@link OpenAiSettings} over OkHttp, shared by
 * the Assistants and the Responses adapters.
 *
 * <p>Threads: openai-java reads each stream by blocking on the HTTP body on its stream-handler
 * executor (by default an unbounded cached pool of platform threads, one per open stream), and OkHttp
 * runs each call until its headers arrive on its dispatcher's executor. Both are given virtual
 * threads here, so hundreds of open streams park virtual threads instead of holding platform threads.
 *
 * <p>The OkHttp client is ours (the SDK borrows it), so {@link #close()} releases it.
 */
public final class OpenAiClients implements AutoCloseable {

    private final OkHttpClient okHttpClient;
    private final ExecutorService dispatcherExecutor;
    private final ExecutorService streamExecutor;
    private final OpenAIClientAsync async;

    private OpenAiClients(OpenAiSettings settings) {
        this.dispatcherExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("openai-http-", 0).factory());
        this.streamExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("openai-stream-", 0).factory());

        Dispatcher dispatcher = new Dispatcher(dispatcherExecutor);
        dispatcher.setMaxRequests(settings.maxConcurrentRequests());
        dispatcher.setMaxRequestsPerHost(settings.maxConcurrentRequests());

        Timeout timeout = Timeout.builder()
                .connect(settings.connectTimeout())
                .read(settings.readTimeout())
                .write(settings.readTimeout())
                .request(settings.requestTimeout())
                .build();

        this.okHttpClient = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool())
                .connectTimeout(timeout.connect())
                .readTimeout(timeout.read())
                .writeTimeout(timeout.write())
                .callTimeout(timeout.request())
                .build();

        this.async = OpenAIOkHttpClientAsync.builder()
                .okHttpClient(okHttpClient)
                // Set explicitly so no per-request default (10 minutes overall) replaces ours.
                .timeout(timeout)
                .apiKey(settings.apiKey())
                .baseUrl(settings.baseUrl())
                .organization(settings.organization())
                .project(settings.project())
                .maxRetries(settings.maxRetries())
                .streamHandlerExecutor(streamExecutor)
                .build();
    }

    public static OpenAiClients create(OpenAiSettings settings) {
        return new OpenAiClients(settings);
    }

    /** The non-blocking client: use it for the CompletionStage ports and for streams. */
    public OpenAIClientAsync async() {
        return async;
    }

    /** The blocking view of the same client (same transport, same threads). */
    public OpenAIClient blocking() {
        return async.sync();
    }

    @Override
    public void close() {
        async.close();
        streamExecutor.shutdownNow();
        dispatcherExecutor.shutdownNow();
        okHttpClient.connectionPool().evictAll();
    }
}
