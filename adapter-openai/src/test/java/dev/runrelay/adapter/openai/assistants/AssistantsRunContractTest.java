package dev.runrelay.adapter.openai.assistants;

import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.domain.contract.RunPortContract;
import dev.runrelay.domain.port.Provider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The run contract every provider keeps, run against the Assistants provider. The Assistants fake is
 * scripted: each state is the answers the API gives in it (the run objects, and its 400/404 error bodies).
 */
class AssistantsRunContractTest extends RunPortContract {

    static final String THREAD = "thread_abc123";

    private final AssistantsTestSupport support = new AssistantsTestSupport();

    @BeforeEach
    void unknownThreadsAndRuns() {
        scriptUnknowns(support);
    }

    /** The API's 404s for a thread or a run that does not exist. */
    static void scriptUnknowns(AssistantsTestSupport support) {
        support.fake.on("GET", "/threads/thread_missing/runs(/.*)?", FakeResponse.error(404, "invalid_request_error", null,
                "No thread found with id 'thread_missing'.", Map.of()));
        support.fake.on("GET", "/threads/[^/]+/runs/run_missing(/.*)?", FakeResponse.error(404, "invalid_request_error",
                null, "No run found with id 'run_missing'.", Map.of()));
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
    protected RunIds completedRun() {
        String path = "/threads/" + THREAD + "/runs/run_done";
        support.fake.on("GET", path, FakeResponse.json(200, AssistantsJson.run("run_done", THREAD, "completed", null)));
        support.fake.on("POST", path + "/cancel", FakeResponse.error(400, "invalid_request_error", null,
                "Cannot cancel run with status 'completed'.", Map.of()));
        support.fake.on("POST", path + "/submit_tool_outputs", FakeResponse.error(400, "invalid_request_error", null,
                "Runs in status \"completed\" do not accept tool outputs.", Map.of()));
        return new RunIds(THREAD, "run_done");
    }

    @Override
    protected WaitingRun waitingRun() {
        String path = "/threads/" + THREAD + "/runs/run_wait";
        support.fake.on("GET", path, FakeResponse.json(200, AssistantsJson.run("run_wait", THREAD, "requires_action", null)
                .replace("\"required_action\": null", "\"required_action\": {\"type\": \"submit_tool_outputs\", "
                        + "\"submit_tool_outputs\": {\"tool_calls\": [{\"id\": \"call_weather\", \"type\": \"function\", "
                        + "\"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}}")));
        support.fake.on("POST", path + "/submit_tool_outputs", FakeResponse.error(400, "invalid_request_error", null,
                "Expected tool outputs for call_ids ['call_weather'], got ['call_nobody_asked_for']", Map.of()));
        return new WaitingRun(THREAD, "run_wait", List.of("call_weather"));
    }

    @Override
    protected String threadWithRuns(int count) {
        var runs = new java.util.ArrayList<String>();
        for (int i = 0; i < count; i++) {
            runs.add(AssistantsJson.run("run_listed" + i, "thread_listed", "completed", null));
        }
        support.fake.on("GET", "/threads/thread_listed/runs", new FakeResponse.Listed(runs));
        return "thread_listed";
    }
}
