package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.contract.RunStreamPortContract;
import dev.runrelay.domain.port.Provider;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The stream contract every provider keeps, run against the Responses provider and its fake server. */
class ResponsesRunStreamContractTest extends RunStreamPortContract {

    private final ResponsesTestSupport support = new ResponsesTestSupport();
    private final FakeResponsesServer fake = support.fake;
    private final Provider provider = support.provider;

    @AfterEach
    void stop() {
        support.close();
    }

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected String assistantId() {
        return "default";
    }

    @Override
    protected void prepareTextRun() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO));
    }

    @Override
    protected void prepareSlowTextRun() {
        fake.enqueue(FakeResponsesScenario.text(60, Duration.ofMillis(100)));
    }

    @Override
    protected int openUpstreamStreams() {
        return fake.openStreams();
    }

    @Override
    protected int streamRequests() {
        return fake.requests().size();
    }
}
