package dev.runrelay.bootstrap.access;

import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.bootstrap.RunRelayApplication;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Ownership in jwt mode with {@code runrelay.provider=openai} (Responses) against the fake Responses server. */
@SpringBootTest(
        classes = RunRelayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai"})
class OpenAiResponsesRunOwnershipTest extends RunOwnershipContract {

    static final FakeResponsesServer FAKE = FakeResponsesServer.start();

    @DynamicPropertySource
    static void jwtAndFake(DynamicPropertyRegistry registry) {
        jwtMode(registry);
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
        FAKE.enqueue(FakeResponsesScenario.text(5, Duration.ofMillis(1)));
    }
}
