package dev.runrelay.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.runrelay.adapter.openai.assistants.OpenAiAssistantsProvider;
import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import dev.runrelay.adapter.openai.responses.OpenAiResponsesProvider;
import dev.runrelay.adapter.openai.responses.ResponsesSettings;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.MessageInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * Counts the upstream sockets the app really holds (ESTABLISHED client sockets to the fake's port, read
 * from the kernel's {@code /proc/net/tcp}, so neither the fake nor the transport can misreport them):
 * a client that goes away, a client too slow for its bounded buffer and a stream that times out each
 * close the stream's upstream connection within one second, on both OpenAI providers.
 */
class UpstreamSocketsTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final int SLOW_BUFFER = 16;
    private static final Duration SLOW_PACE = Duration.ofMillis(50);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    /** For the streams that must not time out: generous, the machine may be busy. */
    private static final Duration PATIENT = Duration.ofSeconds(10);

    private FakeAssistantsServer assistantsFake;
    private FakeResponsesServer responsesFake;
    private OpenAiClients assistantsClients;
    private OpenAiClients responsesClients;

    @BeforeEach
    void linuxOnly() {
        assumeThat(Files.isReadable(Path.of("/proc/net/tcp"))).as("/proc/net/tcp (Linux)").isTrue();
    }

    @AfterEach
    void close() {
        for (AutoCloseable resource : new AutoCloseable[] {assistantsClients, responsesClients, assistantsFake, responsesFake}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    // ---- ways a stream stops early, on each provider -------------------------------------------------

    @Test
    void assistants_clientDisconnects() throws Exception {
        var streams = assistants(FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 500, false))
                .every(Duration.ofMillis(20)));
        disconnectClosesUpstream(streams, assistantsFake.port());
    }

    @Test
    void responses_clientDisconnects() throws Exception {
        var streams = responses(FakeResponsesScenario.text(500, Duration.ofMillis(20)));
        disconnectClosesUpstream(streams, port(responsesFake.baseUrl()));
    }

    @Test
    void assistants_slowConsumer() throws Exception {
        var streams = assistants(FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 500, false))
                .every(SLOW_PACE));
        slowConsumerClosesUpstream(streams, assistantsFake.port(), 1);
    }

    @Test
    void responses_slowConsumer() throws Exception {
        var streams = responses(FakeResponsesScenario.text(500, SLOW_PACE));
        slowConsumerClosesUpstream(streams, port(responsesFake.baseUrl()), 1);
    }

    @Test
    void assistants_timeout() throws Exception {
        var streams = assistants(FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 3, false))
                .stallingAfter(4, Duration.ofSeconds(5)), READ_TIMEOUT);
        timeoutClosesUpstream(streams, assistantsFake.port());
    }

    @Test
    void responses_timeout() throws Exception {
        // Every event 5 s apart: silent past the read timeout before the first one.
        var streams = responses(FakeResponsesScenario.text(3, Duration.ofSeconds(5)), READ_TIMEOUT);
        timeoutClosesUpstream(streams, port(responsesFake.baseUrl()));
    }

    // ---- scenarios ----------------------------------------------------------------------------------

    private static void disconnectClosesUpstream(Flow.Publisher<RunEvent> stream, int port) throws Exception {
        var subscriber = new Recorder(Long.MAX_VALUE);
        FlowBridge.toFlux(stream).subscribe(subscriber);
        subscriber.awaitEvents(20);
        Set<String> during = sockets(port);
        assertThat(during).as("upstream sockets while streaming").isNotEmpty();

        subscriber.dispose();

        assertDropsWithin(port, during);
    }

    /**
     * A client that reads one event and then nothing: the bounded buffer in front of it (as RunStreamRelay's
     * {@code onBackpressureBuffer}) overflows after {@value #SLOW_BUFFER} more events and cancels upstream at that
     * moment (Reactor delivers the overflow error itself only when the client asks for more, which it never does).
     * So the socket must be gone within {@link #WITHIN} plus the time {@value #SLOW_BUFFER} more events take.
     */
    private static void slowConsumerClosesUpstream(Flow.Publisher<RunEvent> stream, int port, int reads) throws Exception {
        var subscriber = new Recorder(reads);
        FlowBridge.toFlux(stream).onBackpressureBuffer(SLOW_BUFFER).subscribe(subscriber);
        subscriber.awaitEvents(reads);
        Set<String> during = sockets(port);
        assertThat(during).as("upstream sockets while streaming").isNotEmpty();

        assertDropsWithin(port, during, WITHIN.plus(SLOW_PACE.multipliedBy(SLOW_BUFFER + 1)).plusMillis(500));
        assertThat(subscriber.events.get()).as("events the slow client got").isEqualTo(reads);
    }

    private static void timeoutClosesUpstream(Flow.Publisher<RunEvent> stream, int port) throws Exception {
        var subscriber = new Recorder(Long.MAX_VALUE);
        FlowBridge.toFlux(stream).subscribe(subscriber);
        Set<String> during = awaitSockets(port);

        Throwable failure = subscriber.awaitFailure(READ_TIMEOUT.multipliedBy(10));
        assertThat(failure).as("the read timeout").isNotNull();

        assertDropsWithin(port, during);
    }

    private static void assertDropsWithin(int port, Set<String> during) throws InterruptedException {
        assertDropsWithin(port, during, WITHIN);
    }

    /**
     * Every socket that was open while streaming is closed within {@code within}. Sockets opened after it (a
     * pooled keep-alive connection for a clean-up call such as deleting an unused conversation) are not the
     * stream's, so they are not counted.
     */
    private static void assertDropsWithin(int port, Set<String> during, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (stillOpen(port, during) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sockets(port)).as("upstream sockets %s after the stream stopped (%s while streaming)", within, during)
                .doesNotContainAnyElementsOf(during);
    }

    private static boolean stillOpen(int port, Set<String> during) {
        Set<String> now = sockets(port);
        return during.stream().anyMatch(now::contains);
    }

    // ---- providers over fakes -----------------------------------------------------------------------

    private Flow.Publisher<RunEvent> assistants(FakeResponse.Sse response) {
        return assistants(response, PATIENT);
    }

    private Flow.Publisher<RunEvent> assistants(FakeResponse.Sse response, Duration readTimeout) {
        assistantsFake = FakeAssistantsServer.start();
        assistantsFake.onStream("POST", FakeAssistantsServer.RUNS_OF_THREAD, response);
        assistantsClients = OpenAiClients.create(settings(assistantsFake.baseUrl(), readTimeout));
        Provider provider = OpenAiAssistantsProvider.create(assistantsClients);
        return provider.streams().createAndStream(
                new CreateRunCommand("thread_abc123", "asst_abc123", List.of(MessageInput.user("hi")), null));
    }

    private Flow.Publisher<RunEvent> responses(FakeResponsesScenario scenario) {
        return responses(scenario, PATIENT);
    }

    private Flow.Publisher<RunEvent> responses(FakeResponsesScenario scenario, Duration readTimeout) {
        responsesFake = FakeResponsesServer.start().defaultScenario(scenario);
        // The conversation exists before the run, made by another client that is closed again: so the only
        // connection of the provider is the stream's (a new thread would add the pooled keep-alive connection
        // of creating it, and of deleting it again when the stream fails before its first event).
        String conversationId = createConversation(responsesFake.baseUrl());
        responsesClients = OpenAiClients.create(settings(responsesFake.baseUrl(), readTimeout));
        Provider provider = OpenAiResponsesProvider.create(responsesClients, ResponsesSettings.defaults(), new InMemoryRunLedgerAdapter());
        return provider.streams().createAndStream(
                new CreateRunCommand(conversationId, "default", List.of(MessageInput.user("hi")), null));
    }

    private static String createConversation(String baseUrl) {
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var created = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/conversations"))
                            .header("content-type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            var matcher = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
            assertThat(matcher.find()).as("conversation created: %s", created.body()).isTrue();
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static OpenAiSettings settings(String baseUrl, Duration readTimeout) {
        return OpenAiSettings.of("sk-test").withBaseUrl(baseUrl).withTimeouts(Duration.ofSeconds(5), readTimeout, Duration.ZERO);
    }

    private static int port(String baseUrl) {
        return URI.create(baseUrl).getPort();
    }

    // ---- the kernel's view --------------------------------------------------------------------------

    /** ESTABLISHED sockets of this host whose remote end is {@code port}: the clients' side of each upstream connection. */
    /** The local addresses of the established connections to {@code port} (from the kernel's tables). */
    static Set<String> sockets(int port) {
        String remotePort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> open = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(path);
                for (String line : lines.subList(1, lines.size())) {
                    String[] columns = line.trim().split("\\s+");
                    // columns: sl, local_address, rem_address, st (01 = ESTABLISHED), ...
                    if (columns.length > 3 && columns[2].endsWith(remotePort) && columns[3].equals("01")) {
                        open.add(columns[1]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return open;
    }

    private static Set<String> awaitSockets(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Set<String> open;
        while ((open = sockets(port)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return open;
    }

    /** Requests {@code initialDemand} events and no more; records what arrives. */
    private static final class Recorder extends BaseSubscriber<RunEvent> {
        private final long initialDemand;
        private final java.util.concurrent.atomic.AtomicInteger events = new java.util.concurrent.atomic.AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Recorder(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(initialDemand);
        }

        @Override
        protected void hookOnNext(RunEvent value) {
            events.incrementAndGet();
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            failure.set(throwable);
        }

        void awaitEvents(int count) throws InterruptedException {
            // Patient: on a busy machine a fresh JVM's first stream also loads openai-java's model classes.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(events.get()).as("events received (failure: %s)", failure.get()).isGreaterThanOrEqualTo(count);
        }

        Throwable awaitFailure(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return failure.get();
        }
    }
}
