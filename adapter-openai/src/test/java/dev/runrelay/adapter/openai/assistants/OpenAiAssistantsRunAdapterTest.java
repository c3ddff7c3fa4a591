package dev.runrelay.adapter.openai.assistants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.adapter.openai.fake.RecordedRequest;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunOptions;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolChoice;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.TruncationStrategy;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.StepInclude;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every run and step operation through the real openai-java client: the request on the wire and the mapped answer. */
class OpenAiAssistantsRunAdapterTest {

    // Generous: the first test of a class loads openai-java (seconds on a busy 2-core machine).
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String THREAD = "thread_abc123";
    private static final String RUN = "run_abc123";

    private final AssistantsTestSupport support = new AssistantsTestSupport();

    @AfterEach
    void stop() {
        support.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private RecordedRequest request() throws InterruptedException {
        RecordedRequest request = support.fake.takeRequest(TIMEOUT);
        assertThat(request).as("a request reached the fake").isNotNull();
        assertThat(request.header("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + AssistantsTestSupport.API_KEY);
        return request;
    }

    private static JsonNode body(RecordedRequest request) throws Exception {
        return JSON.readTree(request.body());
    }

    private static String query(RecordedRequest request) {
        return URLDecoder.decode(request.query() == null ? "" : request.query(), StandardCharsets.UTF_8);
    }

    private static RunOptions everyOption() {
        return new RunOptions("gpt-4o-mini", "Be terse.", "Answer in French.",
                List.of(new Tool.CodeInterpreter(), new Tool.FileSearch(5),
                        new Tool.Function("get_weather", "Current weather",
                                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", true)),
                Map.of("origin", "test"),
                new RunSettings(0.2, 0.9, 1000, 500, new TruncationStrategy(TruncationStrategy.Type.LAST_MESSAGES, 3),
                        ToolChoice.function("get_weather"), false, "json_object"));
    }

    @Test
    void create_sendsEveryOptionAndTheUserMessage() throws Exception {
        support.fake.on("POST", "/threads/" + THREAD + "/runs",
                FakeResponse.json(200, AssistantsJson.run(RUN, THREAD, "queued", null)));
        var command = new CreateRunCommand(THREAD, "asst_abc123", List.of(MessageInput.user("Weather in Paris?")), everyOption());

        Run run = await(support.provider.runs().create(command));

        assertThat(run.id()).isEqualTo(RUN);
        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs");
        JsonNode body = body(request);
        assertThat(body.path("assistant_id").asText()).isEqualTo("asst_abc123");
        assertThat(body.path("additional_messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("additional_messages").get(0).path("content").asText()).isEqualTo("Weather in Paris?");
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("instructions").asText()).isEqualTo("Be terse.");
        assertThat(body.path("additional_instructions").asText()).isEqualTo("Answer in French.");
        assertEveryRunSetting(body);
        assertThat(body.has("stream")).isFalse();
    }

    private static void assertEveryRunSetting(JsonNode body) {
        assertThat(body.path("tools").get(0).path("type").asText()).isEqualTo("code_interpreter");
        assertThat(body.path("tools").get(1).path("file_search").path("max_num_results").asInt()).isEqualTo(5);
        JsonNode function = body.path("tools").get(2).path("function");
        assertThat(function.path("name").asText()).isEqualTo("get_weather");
        assertThat(function.path("description").asText()).isEqualTo("Current weather");
        assertThat(function.path("parameters").path("properties").path("city").path("type").asText()).isEqualTo("string");
        assertThat(function.path("strict").asBoolean()).isTrue();
        assertThat(body.path("metadata").path("origin").asText()).isEqualTo("test");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("max_prompt_tokens").asInt()).isEqualTo(1000);
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(500);
        assertThat(body.path("truncation_strategy").path("type").asText()).isEqualTo("last_messages");
        assertThat(body.path("truncation_strategy").path("last_messages").asInt()).isEqualTo(3);
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("function");
        assertThat(body.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(body.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_object");
    }

    @Test
    void createThreadAndRun_sendsTheMessagesAsANewThread() throws Exception {
        support.fake.on("POST", "/threads/runs", FakeResponse.json(200, AssistantsJson.run(RUN, THREAD, "queued", null)));
        RunOptions options = everyOption();
        options = new RunOptions(options.model(), options.instructions(), null, options.tools(), options.metadata(),
                options.settings());
        var command = new CreateThreadAndRunCommand("asst_abc123",
                List.of(MessageInput.user("Hi"), new MessageInput(MessageInput.Role.ASSISTANT, "Hello!"),
                        MessageInput.user("Weather?")),
                Map.of("topic", "weather"), options);

        Run run = await(support.provider.runs().createThreadAndRun(command));

        assertThat(run.threadId()).isEqualTo(THREAD);
        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/threads/runs");
        JsonNode body = body(request);
        assertThat(body.path("assistant_id").asText()).isEqualTo("asst_abc123");
        JsonNode messages = body.path("thread").path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("Weather?");
        assertThat(body.path("thread").path("metadata").path("topic").asText()).isEqualTo("weather");
        assertThat(body.path("instructions").asText()).isEqualTo("Be terse.");
        assertEveryRunSetting(body);
    }

    @Test
    void createThreadAndRun_withAdditionalInstructions_isRefusedClearly() {
        var options = new RunOptions(null, null, "Answer in French.", null, null, null);
        var command = new CreateThreadAndRunCommand("asst_abc123", List.of(MessageInput.user("Hi")), null, options);

        assertThatThrownBy(() -> await(support.provider.runs().createThreadAndRun(command)))
                .hasCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("additionalInstructions");
    }

    @Test
    void retrieve_getsTheRunAndMapsEveryField() throws Exception {
        support.fake.on("GET", "/threads/" + THREAD + "/runs/" + RUN, FakeResponse.json(200,
                AssistantsJson.run(RUN, THREAD, "completed", null)
                        .replace("\"usage\": null", AssistantsJson.usage(10, 20))
                        .replace("\"metadata\": {}", "\"metadata\": {\"origin\": \"test\"}")));

        Run run = await(support.provider.runs().retrieve(new RetrieveRunCommand(THREAD, RUN)));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123");
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.assistantId()).isEqualTo("asst_abc123");
        assertThat(run.model()).isEqualTo("gpt-4o");
        assertThat(run.usage()).isEqualTo(new Usage(10, 20, 30));
        assertThat(run.metadata()).containsEntry("origin", "test");
        assertThat(run.completedAt()).isNotNull();
        assertThat(run.settings().truncationStrategy().type()).isEqualTo(TruncationStrategy.Type.AUTO);
        assertThat(run.settings().toolChoice()).isEqualTo(ToolChoice.of(ToolChoice.Mode.AUTO));
        assertThat(run.settings().responseFormat()).isEqualTo("auto");
    }

    @Test
    void list_sendsTheCursorAndReadsFirstLastAndHasMore() throws Exception {
        // Nine runs, paged by the fake as the API does: the answer depends on the cursor the adapter sends.
        support.fake.on("GET", "/threads/" + THREAD + "/runs", FakeResponse.listed(IntStream.rangeClosed(1, 9)
                .mapToObj(i -> AssistantsJson.run("run_" + i, THREAD, i == 9 ? "in_progress" : "completed", null)).toList()));

        Page<Run> page = await(support.provider.runs().list(
                new ListRunsCommand(THREAD, PageRequest.of(2, SortOrder.ASC, "run_1", "run_9"))));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs");
        assertThat(query(request).split("&")).containsExactlyInAnyOrder("limit=2", "order=asc", "after=run_1", "before=run_9");
        assertThat(page.data()).extracting(Run::id).containsExactly("run_2", "run_3");
        assertThat(page.firstId()).isEqualTo("run_2");
        assertThat(page.lastId()).isEqualTo("run_3");
        assertThat(page.hasMore()).isTrue();

        Page<Run> last = await(support.provider.runs().list(
                new ListRunsCommand(THREAD, PageRequest.of(5, SortOrder.ASC, page.lastId(), "run_9"))));
        assertThat(last.data()).extracting(Run::id).containsExactly("run_4", "run_5", "run_6", "run_7", "run_8");
        assertThat(last.hasMore()).isFalse();
    }

    @Test
    void list_emptyPage_hasNoCursors() throws Exception {
        support.fake.on("GET", "/threads/" + THREAD + "/runs", FakeResponse.json(200,
                "{\"object\": \"list\", \"data\": [], \"first_id\": null, \"last_id\": null, \"has_more\": false}"));

        Page<Run> page = await(support.provider.runs().list(new ListRunsCommand(THREAD, null)));

        assertThat(query(request()).split("&")).containsExactlyInAnyOrder("limit=20", "order=desc");
        assertThat(page.data()).isEmpty();
        assertThat(page.firstId()).isNull();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void update_sendsTheMetadata() throws Exception {
        support.fake.on("POST", "/threads/" + THREAD + "/runs/" + RUN, FakeResponse.json(200,
                AssistantsJson.run(RUN, THREAD, "completed", null).replace("\"metadata\": {}", "\"metadata\": {\"k\": \"v\"}")));

        Run run = await(support.provider.runs().update(new UpdateRunCommand(THREAD, RUN, Map.of("k", "v"))));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123");
        assertThat(body(request).path("metadata").path("k").asText()).isEqualTo("v");
        assertThat(run.metadata()).containsEntry("k", "v");
    }

    @Test
    void cancel_postsToCancel() throws Exception {
        support.fake.on("POST", "/threads/" + THREAD + "/runs/" + RUN + "/cancel",
                FakeResponse.json(200, AssistantsJson.run(RUN, THREAD, "cancelling", null)));

        Run run = await(support.provider.runs().cancel(new CancelRunCommand(THREAD, RUN)));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123/cancel");
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLING);
    }

    @Test
    void submitToolOutputs_sendsEveryOutput() throws Exception {
        support.fake.on("POST", "/threads/" + THREAD + "/runs/" + RUN + "/submit_tool_outputs",
                FakeResponse.json(200, AssistantsJson.run(RUN, THREAD, "queued", null)));

        Run run = await(support.provider.runs().submitToolOutputs(new SubmitToolOutputsCommand(THREAD, RUN,
                List.of(new ToolOutput("call_1", "18 C"), new ToolOutput("call_2", "")))));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123/submit_tool_outputs");
        JsonNode outputs = body(request).path("tool_outputs");
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(0).path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(outputs.get(0).path("output").asText()).isEqualTo("18 C");
        assertThat(outputs.get(1).path("output").asText()).isEmpty();
        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
    }

    private static final String FILE_SEARCH_STEP = """
            {"id": "step_fs1", "object": "thread.run.step", "created_at": 1763700001, "run_id": "run_abc123",
             "assistant_id": "asst_abc123", "thread_id": "thread_abc123", "type": "tool_calls", "status": "completed",
             "cancelled_at": null, "completed_at": 1763700003, "expired_at": null, "failed_at": null, "last_error": null,
             "step_details": {"type": "tool_calls", "tool_calls": [{"id": "call_fs1", "type": "file_search",
               "file_search": {"ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
                 "results": [{"file_id": "file-paris", "file_name": "paris.md", "score": 0.91,
                   "content": [{"type": "text", "text": "Paris is the capital of France."}]}]}}]},
             "usage": {"prompt_tokens": 5, "completion_tokens": 6, "total_tokens": 11}}""";

    @Test
    void listSteps_sendsCursorAndIncludeAndMapsToolCalls() throws Exception {
        support.fake.on("GET", "/threads/" + THREAD + "/runs/" + RUN + "/steps", FakeResponse.json(200,
                AssistantsJson.list(List.of(FILE_SEARCH_STEP,
                        AssistantsJson.messageStep("step_msg1", RUN, THREAD, "msg_abc123", "completed")),
                        "step_fs1", "step_msg1", false)));

        Page<RunStep> page = await(support.provider.steps().list(new ListRunStepsCommand(THREAD, RUN,
                PageRequest.of(10, SortOrder.ASC, "step_0", null), Set.of(StepInclude.FILE_SEARCH_RESULT_CONTENT))));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123/steps");
        assertThat(query(request).split("&")).contains("limit=10", "order=asc", "after=step_0",
                "include[]=step_details.tool_calls[*].file_search.results[*].content");
        assertThat(page.data()).extracting(RunStep::type).containsExactly(RunStepType.TOOL_CALLS, RunStepType.MESSAGE_CREATION);
        var search = (dev.runrelay.domain.step.ToolCall.FileSearch)
                ((StepDetails.ToolCalls) page.data().getFirst().details()).toolCalls().getFirst();
        assertThat(search.results()).singleElement().satisfies(result ->
                assertThat(result.content()).containsExactly("Paris is the capital of France."));
        assertThat(page.data().getFirst().usage()).isEqualTo(new Usage(5, 6, 11));
        assertThat(page.firstId()).isEqualTo("step_fs1");
        assertThat(page.lastId()).isEqualTo("step_msg1");
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void retrieveStep_getsTheStepWithInclude() throws Exception {
        support.fake.on("GET", "/threads/" + THREAD + "/runs/" + RUN + "/steps/step_fs1",
                FakeResponse.json(200, FILE_SEARCH_STEP));

        RunStep step = await(support.provider.steps().retrieve(new RetrieveRunStepCommand(THREAD, RUN, "step_fs1",
                Set.of(StepInclude.FILE_SEARCH_RESULT_CONTENT))));

        RecordedRequest request = request();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123/steps/step_fs1");
        assertThat(query(request)).isEqualTo("include[]=step_details.tool_calls[*].file_search.results[*].content");
        assertThat(step.id()).isEqualTo("step_fs1");
        assertThat(step.completedAt()).isNotNull();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "400, invalid_request_error, , INVALID_REQUEST, false",
            "401, invalid_request_error, invalid_api_key, UNAUTHORIZED, false",
            "403, invalid_request_error, , PERMISSION_DENIED, false",
            "404, invalid_request_error, , NOT_FOUND, false",
            "409, invalid_request_error, , CONFLICT, false",
            "422, invalid_request_error, , INVALID_REQUEST, false",
            "429, requests, rate_limit_exceeded, RATE_LIMITED, true",
            "429, insufficient_quota, insufficient_quota, QUOTA_EXCEEDED, false",
            "500, server_error, , PROVIDER_UNAVAILABLE, false",
            "502, server_error, , PROVIDER_UNAVAILABLE, false",
            "503, server_error, , PROVIDER_UNAVAILABLE, true",
            "504, server_error, , PROVIDER_UNAVAILABLE, false",
    })
    void httpErrorStatus_isTranslated(int status, String type, String code, ErrorCode expected, boolean unprocessed) {
        support.fake.on("GET", "/threads/" + THREAD + "/runs/" + RUN, FakeResponse.error(status, type, code,
                "Incorrect API key provided: sk-proj-leakedkey1234567890. Or some other problem.",
                Map.of("retry-after-ms", "250")));

        assertThatThrownBy(() -> await(support.provider.runs().retrieve(new RetrieveRunCommand(THREAD, RUN))))
                .satisfies(failure -> {
                    RunRelayException error = support.translate(failure);
                    assertThat(error.code()).isEqualTo(expected);
                    assertThat(error.unprocessed()).isEqualTo(unprocessed);
                    assertThat(error.getMessage()).contains("some other problem").doesNotContain("leakedkey");
                    assertThat(error.providerRequestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_fake_"));
                    if (expected == ErrorCode.RATE_LIMITED) {
                        assertThat(error.retryAfter()).contains(Duration.ofMillis(250));
                    }
                });
    }

    @Test
    void unprocessableActiveRun_isConflict() {
        support.fake.on("POST", "/threads/" + THREAD + "/runs", FakeResponse.error(400, "invalid_request_error", null,
                "Thread thread_abc123 already has an active run run_xyz.", Map.of()));

        assertThatThrownBy(() -> await(support.provider.runs().create(
                new CreateRunCommand(THREAD, "asst_abc123", List.of(MessageInput.user("hi")), null))))
                .satisfies(failure -> assertThat(support.translate(failure).code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void connectionRefused_isProviderUnavailableAndUnprocessed() {
        int port = support.fake.port();
        support.fake.close();

        assertThatThrownBy(() -> await(support.provider.runs().retrieve(new RetrieveRunCommand(THREAD, RUN))))
                .satisfies(failure -> {
                    RunRelayException error = support.translate(failure);
                    assertThat(error.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                    assertThat(error.unprocessed()).isTrue();
                    assertThat(error.getMessage()).doesNotContain(AssistantsTestSupport.API_KEY);
                });
        assertThat(port).isPositive();
    }
}
