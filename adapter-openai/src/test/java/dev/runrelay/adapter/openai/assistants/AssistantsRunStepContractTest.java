package dev.runrelay.adapter.openai.assistants;

import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.domain.contract.RunPortContract.RunIds;
import dev.runrelay.domain.contract.RunStepPortContract;
import dev.runrelay.domain.port.Provider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The step contract every provider keeps, run against the Assistants provider and its scripted fake. */
class AssistantsRunStepContractTest extends RunStepPortContract {

    private static final String THREAD = AssistantsRunContractTest.THREAD;
    private final AssistantsTestSupport support = new AssistantsTestSupport();

    @BeforeEach
    void unknownThreadsAndRuns() {
        AssistantsRunContractTest.scriptUnknowns(support);
        support.fake.on("GET", "/threads/[^/]+/runs/[^/]+/steps/step_missing", FakeResponse.error(404,
                "invalid_request_error", null, "No run step found with id 'step_missing'.", Map.of()));
    }

    @AfterEach
    void stop() {
        support.close();
    }

    @Override
    protected Provider provider() {
        return support.provider;
    }

    @Override
    protected RunIds completedTextRun() {
        String steps = "/threads/" + THREAD + "/runs/run_done/steps";
        String step = AssistantsJson.messageStep("step_done", "run_done", THREAD, "msg_done", "completed");
        support.fake.on("GET", steps, new FakeResponse.Listed(List.of(step)));
        support.fake.on("GET", steps + "/step_done", FakeResponse.json(200, step));
        support.fake.on("GET", "/threads/" + THREAD + "/runs/run_done",
                FakeResponse.json(200, AssistantsJson.run("run_done", THREAD, "completed", null)));
        support.fake.on("GET", "/threads/" + THREAD + "/messages", new FakeResponse.Listed(List.of(
                AssistantsJson.message("msg_done", "run_done", THREAD, "completed", "Hello! How can I help?"))));
        return new RunIds(THREAD, "run_done");
    }
}
