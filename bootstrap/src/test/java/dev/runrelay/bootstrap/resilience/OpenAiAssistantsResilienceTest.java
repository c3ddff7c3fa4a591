package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.CREATE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.RETRIEVE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.domain;
import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.adapter.openai.assistants.OpenAiAssistantsProvider;
import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The aspect around the real OpenAI Assistants adapter (openai-java, SDK retries 0) against the
 * adapter's wire-faithful fake server: the translator, the retry and the stream rules meet real
 * HTTP statuses, headers and SSE.
 */
class OpenAiAssistantsResilienceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String API_KEY = "sk-test-0123456789abcdefghij";
    /** A real HTTP client's first request (connection, class loading) takes longer than the fakes' 300 ms. */
    private static final String[] REAL_CLIENT_TIME_LIMITS = {
        "runrelay.resilience.timeouts.call=5s",
        "runrelay.resilience.timeouts.first-event=5s",
        "runrelay.resilience.timeouts.idle=5s"
    };

    private FakeAssistantsServer fake;
    private OpenAiClients clients;
    private Provider provider;

    @BeforeEach
    void startFakeOpenAi() {
        fake = FakeAssistantsServer.start();
        clients = OpenAiClients.create(OpenAiSettings.of(API_KEY).withBaseUrl(fake.baseUrl()));
        provider = OpenAiAssistantsProvider.create(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        fake.close();
    }

    @Test
    void givenRateLimitedWithRetryAfter_streamRun_retriesOnceAndSendsOneCleanStream() {
        fake.textRuns(3, Duration.ZERO);
        List<Class<?>> unguarded = flux(provider.streams().createAndStream(CREATE))
                .map(Object::getClass)
                .collectList()
                .block(TIMEOUT);
        fake.drainRequests();

        try (ResilienceWiring wiring = ResilienceWiring.around(provider, REAL_CLIENT_TIME_LIMITS)) {
            fake.enqueue("POST", FakeAssistantsServer.RUNS_OF_THREAD, FakeResponse.error(
                    429, "requests", "rate_limit_exceeded", "Rate limit reached", Map.of("retry-after-ms", "250")));
            long start = System.nanoTime();
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)).map(Object::getClass).collectList())
                    .assertNext(types -> assertThat(types).isEqualTo(unguarded))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        assertThat(unguarded).endsWith(RunEvent.StreamEnded.class);
        assertThat(fake.drainRequests()).hasSize(2);
    }

    @Test
    void givenConnectionDroppedMidStream_streamRun_sendsTheEventsThenStreamInterruptedWithoutRetry() {
        fake.enqueue("POST", FakeAssistantsServer.RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_1", "run_1", 5, false)).droppingAfter(4));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider, REAL_CLIENT_TIME_LIMITS)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextMatches(event -> event instanceof RunEvent.RunStatusChanged)
                    .thenConsumeWhile(event -> !(event instanceof RunEvent.StreamEnded))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED);
                        assertThat(error.getMessage()).doesNotContain(API_KEY);
                    })
                    .verify(TIMEOUT);
        }
        assertThat(fake.drainRequests()).hasSize(1);
    }

    @Test
    void givenNotFound_retrieve_failsAtOnceWithTheProvidersRequestId() {
        try (ResilienceWiring wiring = ResilienceWiring.around(provider, REAL_CLIENT_TIME_LIMITS)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(domain(error).providerRequestId()).hasValueSatisfying(
                                id -> assertThat(id).startsWith("req_fake_"));
                    })
                    .verify(TIMEOUT);
        }
        assertThat(fake.drainRequests()).hasSize(1);
    }

    @Test
    void givenServiceUnavailableBeyondTheBudget_retrieve_failsProviderUnavailableAfterThreeAttempts() {
        fake.on("GET", "/threads/[^/]+/runs/[^/]+", FakeResponse.error(
                503, "server_error", null, "The server is overloaded", Map.of()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider, REAL_CLIENT_TIME_LIMITS)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                        assertThat(domain(error).retryable()).isTrue();
                    })
                    .verify(TIMEOUT);
        }
        assertThat(fake.drainRequests()).hasSize(3);
    }
}
