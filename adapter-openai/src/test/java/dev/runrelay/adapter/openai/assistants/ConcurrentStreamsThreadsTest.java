package dev.runrelay.adapter.openai.assistants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.MessageInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.Disposable;

/**
 * Hundreds of open streams must not hold hundreds of platform threads: openai-java's own streaming
 * blocks one thread per stream on the HTTP body; {@link OpenAiClients} reads every body on Reactor
 * Netty's event loops instead. Measures live platform threads while {@value #STREAMS} streams are open.
 */
class ConcurrentStreamsThreadsTest {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentStreamsThreadsTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int STREAMS = 300;

    private static int platformThreads() {
        // Thread.getAllStackTraces lists platform threads only (carriers included, virtual threads not).
        return Thread.getAllStackTraces().size();
    }

    /** Opens {@value #STREAMS} streams, waits until the fake writes all of them, returns added platform threads. */
    private static int extraPlatformThreadsWhileStreaming(FakeAssistantsServer fake, RunStreamPort streams)
            throws InterruptedException {
        int before = platformThreads();
        List<Disposable> subscriptions = new ArrayList<>();
        var command = new CreateRunCommand("thread_load", "asst_abc123", List.of(MessageInput.user("hi")), null);
        try {
            for (int i = 0; i < STREAMS; i++) {
                subscriptions.add(JdkFlowAdapter.flowPublisherToFlux(streams.createAndStream(command))
                        .filter(RunEvent.StreamEnded.class::isInstance)
                        .subscribe(event -> { }, error -> log.warn("stream failed: {}", error.toString())));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (fake.openStreams() < STREAMS && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertThat(fake.openStreams()).as("streams open at the same time").isEqualTo(STREAMS);
            return platformThreads() - before;
        } finally {
            subscriptions.forEach(Disposable::dispose);
        }
    }

    @Test
    void threeHundredOpenStreams_holdFewPlatformThreads() throws InterruptedException {
        try (var fake = FakeAssistantsServer.start().textRuns(400, Duration.ofMillis(25));
                var clients = OpenAiClients.create(OpenAiSettings.of("sk-test").withBaseUrl(fake.baseUrl()))) {
            int extra = extraPlatformThreadsWhileStreaming(fake, OpenAiAssistantsProvider.create(clients).streams());

            log.info("{} open streams through OpenAiClients: +{} platform threads", STREAMS, extra);
            assertThat(extra).as("platform threads added by %d open streams", STREAMS).isLessThan(40);
        }
    }
}
