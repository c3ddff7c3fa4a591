package dev.runrelay.bootstrap;

import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The WebSocket contract with {@code runrelay.provider=openai} (Responses) against a fake Responses server. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai"})
class OpenAiResponsesRunsWebSocketTest extends RunsWebSocketContract {

    static final FakeResponsesServer FAKE = FakeResponsesServer.start();

    @DynamicPropertySource
    static void pointAtTheFake(DynamicPropertyRegistry registry) {
        registry.add("runrelay.openai.api-key", () -> "sk-test-not-a-real-key");
        registry.add("runrelay.openai.base-url", FAKE::baseUrl);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Override
    String assistantId() {
        return "default";
    }

    @Override
    void prepareTextRun() {
        FAKE.enqueue(FakeResponsesScenario.text(20, Duration.ofMillis(5)));
    }

    @Override
    void prepareFunctionCall() {
        FAKE.enqueue(FakeResponsesScenario.fixture("function-call.sse"))
                .enqueue(FakeResponsesScenario.fixture("function-call-continuation.sse"));
    }
}
