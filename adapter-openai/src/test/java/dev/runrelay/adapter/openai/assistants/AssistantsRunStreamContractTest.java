package dev.runrelay.adapter.openai.assistants;

import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.domain.contract.RunStreamPortContract;
import dev.runrelay.domain.port.Provider;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The stream contract every provider keeps, run against the Assistants provider and its fake server. */
class AssistantsRunStreamContractTest extends RunStreamPortContract {

    private final AssistantsTestSupport support = new AssistantsTestSupport();
    private int requests;

    @AfterEach
    void stop() {
        support.close();
    }

    @Override
    protected Provider provider() {
        return support.provider;
    }

    @Override
    protected String assistantId() {
        return "asst_abc123";
    }

    @Override
    protected void prepareTextRun() {
        support.fake.onStream("POST", FakeAssistantsServer.THREAD_AND_RUN, FakeResponse.sseFixture("text-run.sse"));
    }

    @Override
    protected void prepareSlowTextRun() {
        support.fake.onStream("POST", FakeAssistantsServer.THREAD_AND_RUN, FakeResponse.sse(
                AssistantsJson.textRunFrames("thread_slow", "run_slow", 60, true)).every(Duration.ofMillis(100)));
    }

    @Override
    protected int openUpstreamStreams() {
        return support.fake.openStreams();
    }

    @Override
    protected int streamRequests() {
        requests += support.fake.drainRequests().size();
        return requests;
    }
}
