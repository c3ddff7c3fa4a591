package dev.runrelay.adapter.openai.transport;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * openai-java's transport on Reactor Netty's HTTP client: no thread waits for a response or reads a
 * body. openai-java still builds every request (paths, headers, auth, JSON bodies from its params) and
 * turns every response into its model types and typed errors; this class only moves bytes.
 *
 * <ul>
 *   <li>Event loops: Reactor Netty's shared {@code LoopResources} (the ones a Reactor Netty / WebFlux
 *       server uses by default), so a stream's bytes are read on an event loop and, when the
 *       connection was opened from the WebSocket's loop, written there without a hop.
 *   <li>A JSON (or any non-event-stream) response is read whole before openai-java sees it, so its
 *       handlers never block on the body.
 *   <li>A {@code text/event-stream} response with a 2xx status is handed over as soon as its headers
 *       arrive, with a {@link StreamingBody}: the body is decoded into server-sent events as it is read, and
 *       the adapters subscribe to those. Cancelling that subscription, or {@link HttpResponse#close()},
 *       closes the connection at once.
 *   <li>Timeouts: connect; read (longest silence between two reads of one response, Reactor Netty's
 *       {@code responseTimeout}); an optional overall deadline. Failures reach openai-java's callers as
 *       {@link OpenAIIoException}, timeouts with a {@link SocketTimeoutException} cause, as OkHttp's did.
 * </ul>
 */
public final class ReactorNettyHttpClient implements HttpClient {

    private static final byte[] EMPTY = new byte[0];

    private final reactor.netty.http.client.HttpClient http;
    private final ConnectionProvider connections;
    private final Duration requestTimeout;

    /**
     * @param maxConnections connections open at once (an open stream holds one); requests beyond it wait
     * @param requestTimeout overall deadline including the body, or {@link Duration#ZERO} for none
     */
    public ReactorNettyHttpClient(Duration connectTimeout, Duration readTimeout, Duration requestTimeout, int maxConnections) {
        this.connections = ConnectionProvider.builder("openai")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.http = reactor.netty.http.client.HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .responseTimeout(readTimeout)
                // Unpooled, as the server's sockets (ADR 0029): a buffer released twice must not reach another stream.
                .option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT);
        this.requestTimeout = requestTimeout;
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
        try {
            return executeAsync(request, requestOptions).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions requestOptions) {
        CompletableFuture<HttpResponse> response = new CompletableFuture<>();
        try {
            Exchange exchange = new Exchange(response);
            response.whenComplete((ignored, failure) -> {
                if (failure instanceof CancellationException) {
                    exchange.dispose();
                }
            });
            exchange(request).subscribe(exchange);
        } catch (RuntimeException failure) {
            response.completeExceptionally(failure instanceof OpenAIException ? failure : new OpenAIIoException("Request failed", failure));
        } finally {
            if (request.body() != null) {
                request.body().close();
            }
        }
        return response;
    }

    /**
     * The response head, then either one {@link Buffered} or the stream's chunks as Reactor Netty reads them (each
     * released once its {@code onNext} returns: the exchange copies what it needs at once).
     */
    private Flux<Object> exchange(HttpRequest request) {
        byte[] body = bytes(request.body());
        String contentType = request.body() == null ? null : request.body().contentType();
        var sender = http
                .headers(headers -> {
                    Headers sdkHeaders = request.headers();
                    for (String name : sdkHeaders.names()) {
                        headers.set(name, sdkHeaders.values(name));
                    }
                    if (body != null) {
                        if (contentType != null) {
                            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
                        }
                        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    }
                })
                .request(HttpMethod.valueOf(request.method().name()))
                .uri(request.url());
        var receiver = body == null ? sender : sender.send(Mono.just(Unpooled.wrappedBuffer(body)));
        return receiver.responseConnection((head, connection) -> {
            Head status = new Head(head.status().code(), headers(head));
            if (status.isEventStream()) {
                return Flux.<Object>just(status).concatWith(connection.inbound().receive());
            }
            return connection.inbound().receive().aggregate().asByteArray()
                    .defaultIfEmpty(EMPTY)
                    .map(bytes -> new Buffered(status, bytes));
        });
    }

    private static byte[] bytes(HttpRequestBody body) {
        if (body == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, (int) Math.min(1 << 20, body.contentLength())));
        body.writeTo(out);
        return out.toByteArray();
    }

    private static Headers headers(HttpClientResponse response) {
        Headers.Builder builder = Headers.builder();
        response.responseHeaders().forEach(entry -> builder.put(entry.getKey(), entry.getValue()));
        return builder.build();
    }

    /** A transport failure as openai-java raises it; a timeout keeps a {@link SocketTimeoutException} cause. */
    static OpenAIException failure(Throwable error) {
        if (error instanceof OpenAIException known) {
            return known;
        }
        if (error instanceof ReadTimeoutException || error instanceof ConnectTimeoutException) {
            SocketTimeoutException timeout = new SocketTimeoutException(
                    error instanceof ReadTimeoutException ? "read timed out" : "connect timed out");
            timeout.initCause(error);
            return new OpenAIIoException("Request failed", timeout);
        }
        return new OpenAIIoException("Request failed", error);
    }

    @Override
    public void close() {
        connections.dispose();
    }

    private record Head(int status, Headers headers) {
        boolean isEventStream() {
            if (status < 200 || status >= 300) {
                return false;
            }
            var type = headers.values("content-type");
            return !type.isEmpty() && type.getFirst().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        }
    }

    private record Buffered(Head head, byte[] body) {}

    /** A whole response: nothing left on the connection. */
    private record BufferedResponse(Head head, byte[] bytes) implements HttpResponse {
        @Override
        public int statusCode() {
            return head.status();
        }

        @Override
        public Headers headers() {
            return head.headers();
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void close() {
        }
    }

    /** A streamed response: the body follows as {@link StreamingBody#events()}; closing drops the connection. */
    private static final class StreamedResponse implements HttpResponse {
        private final Head head;
        private final StreamingBody body;
        private final Disposable connection;

        StreamedResponse(Head head, StreamingBody body, Disposable connection) {
            this.head = head;
            this.body = body;
            this.connection = connection;
        }

        @Override
        public int statusCode() {
            return head.status();
        }

        @Override
        public Headers headers() {
            return head.headers();
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            connection.dispose();
        }
    }

    /**
     * Subscribes to one exchange: completes the future with the head (streams) or the whole response,
     * then decodes a stream's chunks into server-sent events right here, in the read's own call on the event
     * loop, and hands each to its body without waiting for demand (the body is a unicast buffer; a slow
     * reader is the WebSocket side's bounded buffer's business). {@code data: [DONE]} ends the body and drops
     * the connection, as openai-java stops reading there. Runs on the event loop.
     */
    private final class Exchange extends BaseSubscriber<Object> implements Consumer<SseEvent> {
        private final CompletableFuture<HttpResponse> response;
        private final AtomicBoolean ended = new AtomicBoolean();
        // Written on the event loop, read by the deadline on a parallel thread too.
        private volatile Sinks.Many<SseEvent> body;
        private SseDecoder decoder;
        private byte[] readBuffer = EMPTY;
        private Disposable deadline;

        Exchange(CompletableFuture<HttpResponse> response) {
            this.response = response;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            if (!requestTimeout.isZero()) {
                deadline = Schedulers.parallel().schedule(() -> fail(new SocketTimeoutException(
                        "no complete response within " + requestTimeout)), requestTimeout.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(Object value) {
            switch (value) {
                case ByteBuf chunk -> {
                    if (body != null && !ended.get()) {
                        try {
                            decode(chunk);
                        } catch (OpenAIInvalidDataException tooLarge) {
                            fail(tooLarge);
                        }
                    }
                }
                case Head head -> {
                    decoder = new SseDecoder();
                    body = Sinks.many().unicast().onBackpressureBuffer();
                    Flux<SseEvent> events = body.asFlux().doOnCancel(this::dispose);
                    if (!response.complete(new StreamedResponse(head, new StreamingBody(events), this))) {
                        dispose();
                    }
                }
                case Buffered whole -> response.complete(new BufferedResponse(whole.head(), whole.body()));
                default -> throw new IllegalStateException("unexpected exchange signal");
            }
        }

        /**
         * Feeds a chunk to the decoder through one read buffer per exchange, grown as needed, instead of a new array
         * per chunk ({@code asByteArray}); the chunk itself is Reactor Netty's to release.
         */
        private void decode(ByteBuf chunk) {
            int length = chunk.readableBytes();
            if (chunk.hasArray()) {
                decoder.feed(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), length, this);
                return;
            }
            if (readBuffer.length < length) {
                readBuffer = new byte[Math.max(length, readBuffer.length * 2)];
            }
            chunk.getBytes(chunk.readerIndex(), readBuffer, 0, length);
            decoder.feed(readBuffer, 0, length, this);
        }

        /** One decoded event of the body: passed on, or, for {@code [DONE]}, the end of the body. */
        @Override
        public void accept(SseEvent event) {
            if (ended.get()) {
                return; // after [DONE] or the deadline, the rest of the chunk is not read
            }
            if (event.isDone()) {
                if (end()) {
                    dispose();
                    body.emitComplete(waitingOutAChunk());
                }
                return;
            }
            body.tryEmitNext(event);
        }

        @Override
        protected void hookOnError(Throwable error) {
            fail(error);
        }

        @Override
        protected void hookOnComplete() {
            if (!end()) {
                return;
            }
            if (body != null) {
                body.emitComplete(waitingOutAChunk());
            } else if (!response.isDone()) {
                // Not built when a whole response already completed it: an exception's stack trace costs more
                // than the rest of a short exchange.
                response.completeExceptionally(new OpenAIIoException("Request failed: no response"));
            }
        }

        private void fail(Throwable error) {
            if (!end()) {
                return;
            }
            dispose();
            OpenAIException failure = error instanceof SocketTimeoutException timeout
                    ? new OpenAIIoException("Request failed", timeout) : failure(error);
            if (body != null && !(failure.getCause() instanceof SocketTimeoutException)
                    && !(error instanceof OpenAIException)) {
                // The headers were read: the body broke off (openai-java keeps no way for us to attach them).
                failure = new OpenAIIoException("Response body broke off", new BodyBrokeOffException(error));
            }
            if (body != null) {
                body.emitError(failure, waitingOutAChunk());
            } else {
                response.completeExceptionally(failure);
            }
        }

        /**
         * The deadline ends the body from a parallel thread while the event loop may be emitting a
         * chunk; a plain {@code tryEmitError} then returns FAIL_NON_SERIALIZED and the stream would never
         * end. The end waits out that chunk instead. (A new handler each time: it keeps its deadline.)
         */
        private static Sinks.EmitFailureHandler waitingOutAChunk() {
            return Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
        }

        /** True the first time: the exchange ends once, by completion, failure or deadline. */
        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            if (deadline != null) {
                deadline.dispose();
            }
            return true;
        }
    }
}
