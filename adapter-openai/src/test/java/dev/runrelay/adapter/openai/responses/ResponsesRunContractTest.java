package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.contract.RunPortContract;
import dev.runrelay.domain.contract.StreamedRuns;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.RunStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The run contract every provider keeps, run against the Responses provider and its fake server. */
class ResponsesRunContractTest extends RunPortContract {

    private static final String ASSISTANT = "default";
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
    protected RunIds completedRun() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO));
        return StreamedRuns.newThreadRun(provider, ASSISTANT, "Hello there", RunStatus.COMPLETED);
    }

    @Override
    protected WaitingRun waitingRun() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"));
        return StreamedRuns.newWaitingRun(provider, ASSISTANT, "What is the weather in Oslo?");
    }

    @Override
    protected String threadWithRuns(int count) {
        RunIds first = completedRun();
        for (int i = 1; i < count; i++) {
            fake.enqueue(FakeResponsesScenario.text(2, Duration.ZERO));
            StreamedRuns.nextRun(provider, first.threadId(), ASSISTANT, "Hello again", RunStatus.COMPLETED);
        }
        return first.threadId();
    }
}
