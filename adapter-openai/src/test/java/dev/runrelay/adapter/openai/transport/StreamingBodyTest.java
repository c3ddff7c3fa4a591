package dev.runrelay.adapter.openai.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A streamed response's body is decoded into server-sent events by the transport as the bytes arrive
 * (docs/adr/0033): the events come out whole however the bytes were split, the body ends at
 * {@code data: [DONE]} and drops the connection then (the server keeps sending), and openai-java's
 * {@code InputStream} view still reads the same events in the event-stream format.
 */
class StreamingBodyTest {

    /** Split across writes in the middle of a block and of a line; then [DONE], then more that must not be read. */
    private static final List<String> PARTS = List.of(
            ": a comment\nevent: a\nda", "ta: {\"x\":1}\n\ndata: line1\r\n", "data: line2\r\n\r\n",
            "data: [DONE]\n\n", "data: after the end\n\n");

    private DisposableServer server;
    private final CountDownLatch serverSawClose = new CountDownLatch(1);
    private ReactorNettyHttpClient client;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    response.withConnection(connection -> connection.onDispose(serverSawClose::countDown));
                    return response.header("content-type", "text/event-stream")
                            .sendString(Flux.fromIterable(PARTS).delayElements(Duration.ofMillis(20))
                                    .concatWith(Flux.never()));
                })
                .bindNow();
        client = new ReactorNettyHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ZERO, 4);
    }

    @AfterEach
    void stop() {
        client.close();
        server.disposeNow();
    }

    @Test
    void theEvents_areWholeAcrossWrites_andEndAtDone_droppingTheConnection() throws Exception {
        StreamingBody body = StreamingBody.of(open());

        List<SseEvent> events = body.events().collectList().block(Duration.ofSeconds(5));

        assertThat(events).containsExactly(new SseEvent("a", "{\"x\":1}"), new SseEvent(null, "line1\nline2"));
        assertThat(serverSawClose.await(1, TimeUnit.SECONDS)).as("connection closed at [DONE]").isTrue();
    }

    @Test
    void cancellingTheEvents_dropsTheConnectionAtOnce() throws Exception {
        StreamingBody body = StreamingBody.of(open());

        SseEvent first = body.events().blockFirst(Duration.ofSeconds(5));

        assertThat(first).isEqualTo(new SseEvent("a", "{\"x\":1}"));
        assertThat(serverSawClose.await(1, TimeUnit.SECONDS)).as("connection closed on cancel").isTrue();
    }

    @Test
    void theInputStreamView_readsTheSameEvents_inTheEventStreamFormat() throws Exception {
        try (InputStream body = open().body()) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(text).isEqualTo("event: a\ndata: {\"x\":1}\n\ndata: line1\ndata: line2\n\n");
        }
    }

    private HttpResponse open() throws Exception {
        HttpRequest request = HttpRequest.builder().method(HttpMethod.GET)
                .baseUrl("http://127.0.0.1:" + server.port()).addPathSegment("events").build();
        return client.executeAsync(request, RequestOptions.none()).get(5, TimeUnit.SECONDS);
    }
}
