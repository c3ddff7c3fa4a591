package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Many whole runs at once through the Responses provider: all complete, on few platform threads. */
class ConcurrentResponseStreamsTest {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentResponseStreamsTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int RUNS = 200;
    private static final int DELTAS = 20;

    @Test
    void twoHundredConcurrentRuns_allComplete_onFewPlatformThreads() {
        try (var fake = FakeResponsesServer.start().defaultScenario(FakeResponsesScenario.text(DELTAS, Duration.ofMillis(20)));
                var clients = OpenAiClients.create(OpenAiSettings.of("sk-test").withBaseUrl(fake.baseUrl()))) {
            Provider provider = OpenAiResponsesProvider.create(clients, ResponsesSettings.defaults(), new InMemoryRunLedgerAdapter());
            var command = new CreateThreadAndRunCommand("default", List.of(MessageInput.user("hi")), null, null);
            int before = Thread.getAllStackTraces().size();
            var maxPlatformThreads = new AtomicInteger(before);
            var sampler = Flux.interval(Duration.ofMillis(20), Schedulers.single())
                    .subscribe(tick -> maxPlatformThreads.accumulateAndGet(Thread.getAllStackTraces().size(), Math::max));
            long start = System.nanoTime();
            try {
                StepVerifier.create(Flux.range(0, RUNS)
                                .flatMap(i -> JdkFlowAdapter.flowPublisherToFlux(provider.streams().createThreadAndRunAndStream(command))
                                        .filter(RunEvent.StreamEnded.class::isInstance)
                                        .cast(RunEvent.StreamEnded.class), RUNS)
                                .map(RunEvent.StreamEnded::finalStatus)
                                .collectList())
                        .assertNext(statuses -> assertThat(statuses).hasSize(RUNS).containsOnly(RunStatus.COMPLETED))
                        .verifyComplete();
            } finally {
                sampler.dispose();
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            int extra = maxPlatformThreads.get() - before;
            log.info("{} concurrent Responses runs ({} deltas every 20 ms each): {} ms, at most +{} platform threads",
                    RUNS, DELTAS, millis, extra);
            assertThat(extra).as("platform threads added by %d concurrent runs", RUNS).isLessThan(40);
        }
    }
}
