package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.contract.RunPortContract.RunIds;
import dev.runrelay.domain.contract.RunStepPortContract;
import dev.runrelay.domain.contract.StreamedRuns;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.RunStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The step contract every provider keeps, run against the Responses provider and its fake server. */
class ResponsesRunStepContractTest extends RunStepPortContract {

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
    protected RunIds completedTextRun() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO));
        return StreamedRuns.newThreadRun(provider, "default", "Hello there", RunStatus.COMPLETED);
    }
}
