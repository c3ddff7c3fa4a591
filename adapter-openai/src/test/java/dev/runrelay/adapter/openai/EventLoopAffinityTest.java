package dev.runrelay.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.assistants.OpenAiAssistantsProvider;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.RecordedRequest;
import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import dev.runrelay.adapter.openai.responses.OpenAiResponsesProvider;
import dev.runrelay.adapter.openai.responses.ResponsesSettings;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * A stream subscribed on an event loop (as the WebSocket subscribes it, on its socket's loop) is read
 * from the provider on that same loop, on both OpenAI providers: its events reach the subscriber without
 * a hand-over between threads. Without the affinity the upstream connection's loop is whichever the pool
 * or the round robin gives, so with several loops most streams would be read elsewhere.
 */
class EventLoopAffinityTest {

    private static final int STREAMS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FakeAssistantsServer assistantsFake;
    private FakeResponsesServer responsesFake;
    private OpenAiClients clients;

    @AfterEach
    void close() {
        for (AutoCloseable resource : new AutoCloseable[] {clients, assistantsFake, responsesFake}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    void assistantsStreams_areReadOnTheSubscribersEventLoop_andTheHeaderNeverLeaves() throws Exception {
        assistantsFake = FakeAssistantsServer.start().textRuns(20, Duration.ofMillis(2));
        clients = OpenAiClients.create(settings(assistantsFake.baseUrl()));
        Provider provider = OpenAiAssistantsProvider.create(clients);

        assertEveryEventOnTheSubscribingLoop(() -> provider.streams().createAndStream(
                new CreateRunCommand("thread_abc123", "asst_abc123", List.of(MessageInput.user("hi")), null)));

        List<RecordedRequest> requests = assistantsFake.drainRequests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(STREAMS);
        assertThat(requests).allSatisfy(request -> assertThat(request.headers().keySet())
                .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("event-loop")));
    }

    @Test
    void responsesStreams_ofANewThread_areReadOnTheSubscribersEventLoop_althoughTheConversationIsMadeFirst()
            throws Exception {
        responsesFake = FakeResponsesServer.start().defaultScenario(FakeResponsesScenario.text(20, Duration.ofMillis(2)));
        clients = OpenAiClients.create(settings(responsesFake.baseUrl()));
        Provider provider = OpenAiResponsesProvider.create(clients, ResponsesSettings.defaults(), new InMemoryRunLedgerAdapter());

        assertEveryEventOnTheSubscribingLoop(() -> provider.streams().createThreadAndRunAndStream(
                new CreateThreadAndRunCommand("default", List.of(MessageInput.user("hi")), Map.of(), null)));
    }

    /** Subscribes {@value #STREAMS} streams, each on one of the shared loops in turn; every event must arrive there. */
    private static void assertEveryEventOnTheSubscribingLoop(Supplier<Flow.Publisher<RunEvent>> stream)
            throws InterruptedException {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : HttpResources.get().onClient(LoopResources.hasNativeSupport())) {
            loops.add((EventLoop) executor);
        }
        assertThat(loops).as("the shared event loops").hasSizeGreaterThan(1);
        var onTheLoop = new AtomicInteger();
        var elsewhere = new AtomicInteger();
        var ended = new AtomicInteger();
        var failures = new ArrayList<Throwable>();
        var done = new CountDownLatch(STREAMS);
        for (int i = 0; i < STREAMS; i++) {
            EventLoop loop = loops.get(i % loops.size());
            loop.execute(() -> FlowBridge.toFlux(stream.get()).subscribe(
                    event -> {
                        (loop.inEventLoop() ? onTheLoop : elsewhere).incrementAndGet();
                        if (event instanceof RunEvent.StreamEnded) {
                            ended.incrementAndGet();
                        }
                    },
                    failure -> {
                        synchronized (failures) {
                            failures.add(failure);
                        }
                        done.countDown();
                    },
                    done::countDown));
        }
        assertThat(done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("all streams ended").isTrue();
        assertThat(failures).isEmpty();
        assertThat(ended).hasValue(STREAMS);
        assertThat(onTheLoop.get()).as("events delivered on the subscribing loop").isGreaterThan(STREAMS * 20);
        assertThat(elsewhere).as("events delivered on another thread").hasValue(0);
    }

    private static OpenAiSettings settings(String baseUrl) {
        return OpenAiSettings.of("sk-test").withBaseUrl(baseUrl)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ZERO);
    }
}
