package dev.runrelay.adapter.openai.assistants;

import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.domain.contract.RunStreamPortContract;
import dev.runrelay.domain.port.Provider;
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
    protected int streamRequests() {
        requests += support.fake.drainRequests().size();
        return requests;
    }
}
