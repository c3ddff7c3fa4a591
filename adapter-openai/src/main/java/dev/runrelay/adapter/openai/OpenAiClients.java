package dev.runrelay.adapter.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.Timeout;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The openai-java clients of one provider, built from {@link OpenAiSettings} over OkHttp, shared by
 * the Assistants and the Responses adapters.
 *
 * <p>Threads: openai-java reads each stream by blocking on the HTTP body on its stream-handler
 * executor (by default an unbounded cached pool of platform threads, one per open stream), and OkHttp
 * runs each call until its headers arrive on its dispatcher's executor. Both are given virtual
 * threads here, so hundreds of open streams park virtual threads instead of holding platform threads.
 *
 * <p>Cancellation: closing an openai-java stream from another thread drains the body first and
 * races the thread reading it, so it does not reliably drop the connection. A request sent with a
 * {@link CallHandle}'s header can instead be cancelled at the OkHttp level ({@link Call#cancel()}
 * closes the socket at once, from any thread); the header is removed before the request leaves.
 *
 * <p>The OkHttp client is ours (the SDK borrows it), so {@link #close()} releases it.
 */
public final class OpenAiClients implements AutoCloseable {

    /** Names the {@link CallHandle} of a request; stripped before the request is sent. */
    public static final String CALL_HANDLE_HEADER = "X-RunRelay-Call-Handle";

    private final ConcurrentMap<String, CallHandle> handles = new ConcurrentHashMap<>();

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
                .addInterceptor(this::bindCallHandle)
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

    /**
     * A handle for one request: send the request with header {@link #CALL_HANDLE_HEADER} = {@link CallHandle#id()},
     * then {@link CallHandle#cancel()} drops its connection at once, or {@link CallHandle#close()} forgets it.
     */
    public CallHandle openCallHandle() {
        CallHandle handle = new CallHandle(UUID.randomUUID().toString(), handles::remove);
        handles.put(handle.id(), handle);
        return handle;
    }

    private Response bindCallHandle(Interceptor.Chain chain) throws java.io.IOException {
        Request request = chain.request();
        String id = request.header(CALL_HANDLE_HEADER);
        if (id == null) {
            return chain.proceed(request);
        }
        CallHandle handle = handles.get(id);
        if (handle != null) {
            handle.bind(chain.call());
        }
        return chain.proceed(request.newBuilder().removeHeader(CALL_HANDLE_HEADER).build());
    }

    /** Cancels one request's HTTP call from any thread, without blocking. */
    public static final class CallHandle implements AutoCloseable {

        private final String id;
        private final java.util.function.Consumer<String> release;
        private Call call;
        private boolean cancelled;

        private CallHandle(String id, java.util.function.Consumer<String> release) {
            this.id = id;
            this.release = release;
        }

        public String id() {
            return id;
        }

        private void bind(Call boundCall) {
            boolean cancelNow;
            synchronized (this) {
                call = boundCall;
                cancelNow = cancelled;
            }
            if (cancelNow) {
                boundCall.cancel();
                release.accept(id);
            }
        }

        /**
         * Closes the call's connection now, or as soon as the call starts if it has not yet, and
         * then forgets the handle.
         */
        public void cancel() {
            Call toCancel;
            synchronized (this) {
                cancelled = true;
                toCancel = call;
            }
            if (toCancel != null) {
                toCancel.cancel();
                release.accept(id);
            }
        }

        /** Forgets the handle (the call ended on its own). */
        @Override
        public void close() {
            release.accept(id);
        }
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
