package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.RUNS_OF_THREAD;
import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.SUBMIT_TOOL_OUTPUTS;
import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.THREAD_AND_RUN;

import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The WebSocket contract with {@code runrelay.provider=openai-assistants} against a fake Assistants server. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai-assistants"})
class OpenAiAssistantsRunsWebSocketTest extends RunsWebSocketContract {

    static final FakeAssistantsServer FAKE = FakeAssistantsServer.start();

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
        return "asst_abc123";
    }

    @Override
    void prepareTextRun() {
        FAKE.onStream("POST", THREAD_AND_RUN, FakeResponse.sseFixture("text-run.sse"));
    }

    @Override
    void prepareFunctionCall() {
        FAKE.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("function-call-run.sse"));
        FAKE.onStream("POST", SUBMIT_TOOL_OUTPUTS, FakeResponse.sseFixture("function-call-continued.sse"));
    }

    @Override
    String functionCallThread() {
        return "thread_abc123";
    }
}
