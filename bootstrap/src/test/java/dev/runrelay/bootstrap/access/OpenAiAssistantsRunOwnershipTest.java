package dev.runrelay.bootstrap.access;

import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.THREAD_AND_RUN;

import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.bootstrap.RunRelayApplication;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Ownership in jwt mode with {@code runrelay.provider=openai-assistants} against the fake Assistants server. */
@SpringBootTest(
        classes = RunRelayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai-assistants"})
class OpenAiAssistantsRunOwnershipTest extends RunOwnershipContract {

    static final FakeAssistantsServer FAKE = FakeAssistantsServer.start();

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
        return "asst_abc123";
    }

    @Override
    void prepareTextRun() {
        FAKE.onStream("POST", THREAD_AND_RUN, FakeResponse.sseFixture("text-run.sse"));
    }

    @Override
    boolean answersReadsAndNewThreads() {
        return false;
    }
}
