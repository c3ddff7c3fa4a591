package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The Responses provider through the real openai-java client against {@link FakeResponsesServer}. */
class OpenAiResponsesProviderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

    private FakeResponsesServer fake;
    private OpenAiClients clients;
    private InMemoryRunLedgerAdapter ledger;
    private MutableClock clock;
    private Provider provider;

    @BeforeEach
    void start() {
        fake = FakeResponsesServer.start();
        clients = OpenAiClients.create(OpenAiSettings.of("sk-test-0123456789abcdef")
                .withBaseUrl(fake.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), null));
        ledger = new InMemoryRunLedgerAdapter();
        clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        var settings = ResponsesSettings.defaults()
                .withProfiles(Map.of(
                        "weather", new AssistantProfile("gpt-4.1", "Answer about weather.",
                                List.of(new Tool.Function("get_weather", "The weather in a city", WEATHER_SCHEMA, true)),
                                List.of(), List.of(), 0.2),
                        "analyst", new AssistantProfile("gpt-4.1", null, List.of(new Tool.CodeInterpreter()),
                                List.of(), List.of(), null),
                        "librarian", new AssistantProfile("gpt-4.1", null, List.of(new Tool.FileSearch(5)),
                                List.of("vs_policies"), List.of(), null)))
                .withResume(3, Duration.ofMillis(10));
        provider = OpenAiResponsesProvider.create(clients.async(), settings, ledger, clock);
    }

    @AfterEach
    void stop() {
        clients.close();
        fake.close();
    }

    // ---- streams ----------------------------------------------------------------------------------

    @Test
    void textRun_streamsStatusStepsTextAndEnd_andSendsABackgroundStreamedResponseInTheNewConversation() {
        fake.enqueue(FakeResponsesScenario.fixture("text-run.sse"));

        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")));

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "ThreadCreated", "RunStatusChanged", "RunStatusChanged", "StepCreated", "MessageCreated",
                "TextCreated", "TextDelta", "TextDelta", "MessageCompleted", "StepCompleted",
                "RunStatusChanged", "UsageReported", "StreamEnded");
        String threadId = ((RunEvent.ThreadCreated) events.getFirst()).threadId();
        assertThat(statuses(events)).containsExactly(RunStatus.QUEUED, RunStatus.IN_PROGRESS, RunStatus.COMPLETED);
        assertThat(runIds(events)).hasSize(1).allMatch(id -> id.startsWith("run_"));
        assertThat(text(events)).isEqualTo("Hello, world!");
        var completed = only(events, RunEvent.MessageCompleted.class);
        assertThat(completed.message().text()).isEqualTo("Hello, world!");
        assertThat(completed.message().threadId()).isEqualTo(threadId);
        var end = (RunEvent.StreamEnded) events.getLast();
        assertThat(end.finalStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(end.usage()).isEqualTo(new Usage(37, 11, 48));

        assertThat(fake.requests("POST", "/v1/conversations")).hasSize(1);
        JsonNode body = fake.requests("POST", "/v1/responses").getFirst().body();
        assertThat(body.path("background").asBoolean()).isTrue();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("store").asBoolean()).isTrue();
        assertThat(body.path("conversation").asText()).isEqualTo(threadId);
        assertThat(body.has("previous_response_id")).isFalse();
        assertThat(body.path("model").asText()).isEqualTo(ResponsesSettings.DEFAULT_MODEL);
        assertThat(texts(body.path("include"))).containsExactlyInAnyOrder(
                "code_interpreter_call.outputs", "file_search_call.results");
        assertThat(body.path("input")).hasSize(1);
        assertThat(body.path("input").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("input").get(0).path("content").asText()).isEqualTo("Hi");
    }

    @Test
    void codeInterpreterRun_streamsCodeInputFragmentsAndLogsOutput() {
        fake.enqueue(FakeResponsesScenario.fixture("code-interpreter.sse"));

        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("analyst", "2+2?")));

        var toolCall = only(events, RunEvent.ToolCallCreated.class);
        assertThat(toolCall.toolType()).isEqualTo(ToolType.CODE_INTERPRETER);
        assertThat(toolCall.stepId()).isEqualTo("ci_1");
        assertThat(all(events, RunEvent.CodeInputDelta.class)).extracting(RunEvent.CodeInputDelta::fragment)
                .containsExactly("print(", "2 + 2)");
        assertThat(only(events, RunEvent.CodeOutputAdded.class).output()).isEqualTo(new CodeOutput.Logs("4\n"));
        assertThat(text(events)).isEqualTo("It is 4.");
        assertThat(((RunEvent.StreamEnded) events.getLast()).finalStatus()).isEqualTo(RunStatus.COMPLETED);
        JsonNode tools = fake.requests("POST", "/v1/responses").getFirst().body().path("tools");
        assertThat(tools.get(0).path("type").asText()).isEqualTo("code_interpreter");
        assertThat(tools.get(0).path("container").path("type").asText()).isEqualTo("auto");
    }

    @Test
    void functionCall_requiresAction_thenContinuesAfterToolOutputs_underTheSameRunId() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"))
                .enqueue(FakeResponsesScenario.fixture("function-call-continuation.sse"));

        List<RunEvent> first = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("weather", "Weather in Paris?")));

        var required = new RequiredToolCall("call_weather_1", "get_weather", "{\"city\":\"Paris\"}");
        var action = only(first, RunEvent.RequiresAction.class);
        assertThat(action.toolCalls()).containsExactly(required);
        assertThat(only(first, RunEvent.ToolCallCreated.class))
                .isEqualTo(new RunEvent.ToolCallCreated("fc_1", "call_weather_1", ToolType.FUNCTION, "get_weather"));
        assertThat(all(first, RunEvent.FunctionArgumentsDelta.class)).containsExactly(
                new RunEvent.FunctionArgumentsDelta("fc_1", "call_weather_1", "get_weather", "{\"city\":"),
                new RunEvent.FunctionArgumentsDelta("fc_1", "call_weather_1", null, "\"Paris\"}"));
        var end = (RunEvent.StreamEnded) first.getLast();
        assertThat(end.finalStatus()).isEqualTo(RunStatus.REQUIRES_ACTION);
        String threadId = end.threadId();
        String runId = end.runId();
        assertThat(fake.pendingCalls(threadId)).containsExactly("call_weather_1");

        Run waiting = join(provider.runs().retrieve(new RetrieveRunCommand(threadId, runId)));
        assertThat(waiting.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(waiting.requiredAction().toolCalls()).containsExactly(required);
        assertThat(waiting.expiresAt()).isEqualTo(clock.instant().plus(ResponsesSettings.DEFAULT_REQUIRES_ACTION_EXPIRY));

        List<RunEvent> second = collect(provider.streams().submitToolOutputsAndStream(new SubmitToolOutputsCommand(
                threadId, runId, List.of(new ToolOutput("call_weather_1", "{\"sky\":\"sunny\"}")))));

        assertThat(runIds(second)).containsExactly(runId);
        assertThat(text(second)).isEqualTo("It is sunny in Paris.");
        assertThat(((RunEvent.StreamEnded) second.getLast()).finalStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(((RunEvent.StreamEnded) second.getLast()).runId()).isEqualTo(runId);
        assertThat(fake.pendingCalls(threadId)).isEmpty();

        var posts = fake.requests("POST", "/v1/responses");
        JsonNode firstBody = posts.get(0).body();
        assertThat(firstBody.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(firstBody.path("instructions").asText()).isEqualTo("Answer about weather.");
        assertThat(firstBody.path("temperature").asDouble()).isEqualTo(0.2);
        JsonNode function = firstBody.path("tools").get(0);
        assertThat(function.path("type").asText()).isEqualTo("function");
        assertThat(function.path("name").asText()).isEqualTo("get_weather");
        assertThat(function.path("parameters").path("required").get(0).asText()).isEqualTo("city");
        JsonNode continuation = posts.get(1).body();
        assertThat(continuation.path("conversation").asText()).isEqualTo(threadId);
        assertThat(continuation.has("previous_response_id")).isFalse();
        assertThat(continuation.path("background").asBoolean()).isTrue();
        assertThat(continuation.path("input")).hasSize(1);
        assertThat(continuation.path("input").get(0).path("type").asText()).isEqualTo("function_call_output");
        assertThat(continuation.path("input").get(0).path("call_id").asText()).isEqualTo("call_weather_1");
        assertThat(continuation.path("input").get(0).path("output").asText()).isEqualTo("{\"sky\":\"sunny\"}");

        Run done = join(provider.runs().retrieve(new RetrieveRunCommand(threadId, runId)));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.usage()).isEqualTo(new Usage(74, 22, 96));
        assertThat(steps(threadId, runId)).extracting(RunStep::id).containsExactly("fc_1", "msg_weather");
    }

    @Test
    void fileSearchRun_streamsResultsAndCitations() {
        fake.enqueue(FakeResponsesScenario.fixture("file-search.sse"));

        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("librarian", "Refunds?")));

        var searches = all(events, RunEvent.FileSearchCalled.class);
        assertThat(searches.getFirst().results()).isEmpty();
        assertThat(searches.getLast().results()).singleElement().satisfies(result -> {
            assertThat(result.fileId()).isEqualTo("file-abc");
            assertThat(result.fileName()).isEqualTo("policy.pdf");
            assertThat(result.content()).containsExactly("Refunds within 30 days.");
        });
        var citation = new Annotation(Annotation.Type.FILE_CITATION, "policy.pdf", "file-abc", null, 36, 36);
        assertThat(all(events, RunEvent.TextDelta.class)).anySatisfy(delta -> assertThat(delta.annotations()).containsExactly(citation));
        assertThat(only(events, RunEvent.MessageCompleted.class).message().annotations()).containsExactly(citation);
        JsonNode tool = fake.requests("POST", "/v1/responses").getFirst().body().path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("file_search");
        assertThat(texts(tool.path("vector_store_ids"))).containsExactly("vs_policies");
        assertThat(tool.path("max_num_results").asInt()).isEqualTo(5);
    }

    @Test
    void failedResponse_isAFailedRunNotAnError() {
        fake.enqueue(FakeResponsesScenario.fixture("failed-run.sse"));

        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")));

        var failed = (RunEvent.RunStatusChanged) events.get(events.size() - 2);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.run().lastError().code()).isEqualTo("server_error");
        assertThat(((RunEvent.StreamEnded) events.getLast()).finalStatus()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void unknownEventType_isSkipped() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO)
                .inserting(4, "{\"type\":\"response.brand_new_thing\",\"item_id\":\"msg_fake\",\"payload\":{\"x\":1}}"));

        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")));

        assertThat(text(events)).isEqualTo("w0 w1 w2 ");
        assertThat(((RunEvent.StreamEnded) events.getLast()).finalStatus()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void errorEvent_endsTheStreamWithAProviderError() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO)
                .inserting(5, "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"Something broke.\",\"param\":null}"));

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi"))))
                .thenConsumeWhile(event -> true)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(RunRelayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("Something broke.");
                }))
                .verify(TIMEOUT);
    }

    @Test
    void interruptedStream_resumesAfterTheLastSequenceNumber_withNoDuplicateAndNoGap() {
        fake.enqueue(FakeResponsesScenario.text(20, Duration.ZERO).droppingAfter(7));

        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")));

        var expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            expected.append("w").append(i).append(' ');
        }
        assertThat(text(events)).isEqualTo(expected.toString());
        assertThat(all(events, RunEvent.TextCreated.class)).hasSize(1);
        assertThat(all(events, RunEvent.StepCreated.class)).hasSize(1);
        assertThat(statuses(events)).containsExactly(RunStatus.QUEUED, RunStatus.IN_PROGRESS, RunStatus.COMPLETED);
        assertThat(((RunEvent.StreamEnded) events.getLast()).finalStatus()).isEqualTo(RunStatus.COMPLETED);
        var resumes = fake.requests().stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/v1/responses/")).toList();
        assertThat(resumes).singleElement().satisfies(resume -> {
            assertThat(resume.query()).containsEntry("stream", "true").containsEntry("starting_after", "6");
        });
    }

    @Test
    void streamBreakingOnEveryResume_failsAsInterruptedAfterTheBoundedAttempts_withoutDuplicates() {
        fake.enqueue(FakeResponsesScenario.text(30, Duration.ZERO).droppingEveryDeliveryAfter(3));
        var received = new ArrayList<RunEvent>();

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi"))))
                .recordWith(() -> received)
                .thenConsumeWhile(event -> true)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(RunRelayException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED)))
                .verify(TIMEOUT);

        // 3 events per delivery, 1 + 3 deliveries: created, in_progress, item added, part added, then 8 deltas.
        assertThat(text(received)).isEqualTo("w0 w1 w2 w3 w4 w5 w6 w7 ");
        assertThat(fake.requests().stream().filter(r -> r.method().equals("GET"))).hasSize(3);
    }

    @Test
    void subscriberCancelling_closesTheHttpStreamWithinOneSecond() throws InterruptedException {
        fake.enqueue(FakeResponsesScenario.text(200, Duration.ofMillis(20)));

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi"))))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.TextDelta))
                .expectNextMatches(RunEvent.TextDelta.class::isInstance)
                .thenCancel()
                .verify(TIMEOUT);

        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (fake.clientDisconnects() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fake.clientDisconnects()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error, , invalid_request",
        "401, invalid_request_error, invalid_api_key, unauthorized",
        "403, permission_error, , permission_denied",
        "404, invalid_request_error, , not_found",
        "422, invalid_request_error, , invalid_request",
        "429, requests, rate_limit_exceeded, rate_limited",
        "429, insufficient_quota, insufficient_quota, quota_exceeded",
        "500, server_error, , provider_unavailable",
        "503, server_error, , provider_unavailable"
    })
    void httpErrorStatus_failsTheStream_andTranslatesToTheDomainCode(int status, String type, String code, String expected) {
        fake.enqueue(FakeResponsesScenario.error(status, type, code, "Refused by the fake"));

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")))
                        .onErrorMap(error -> new OpenAiErrorTranslator().translate(error).orElseThrow()))
                // No ThreadCreated: the stream never started, and its conversation is deleted again.
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOfSatisfying(RunRelayException.class,
                            e -> assertThat(e.code().code()).isEqualTo(expected));
                    assertThat(error.getMessage()).doesNotContain("sk-test");
                })
                .verify(TIMEOUT);
        assertThat(fake.requests("POST", "/v1/conversations")).hasSize(1);
        assertThat(fake.conversationIds()).isEmpty();
    }

    // ---- run operations ---------------------------------------------------------------------------

    @Test
    void cancel_cancelsTheBackgroundResponse_andTheStreamEndsCancelled() {
        fake.enqueue(FakeResponsesScenario.text(100, Duration.ofMillis(30)));
        var started = new AtomicReference<RunEvent.RunStatusChanged>();
        var cancelled = new AtomicReference<Run>();

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")))
                        .doOnNext(event -> {
                            if (event instanceof RunEvent.RunStatusChanged changed) {
                                started.compareAndSet(null, changed);
                            }
                        }))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.TextDelta))
                .expectNextMatches(RunEvent.TextDelta.class::isInstance)
                .then(() -> cancelled.set(join(provider.runs().cancel(
                        new CancelRunCommand(started.get().run().threadId(), started.get().run().id())))))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.RunStatusChanged))
                .expectNextMatches(event -> ((RunEvent.RunStatusChanged) event).status() == RunStatus.CANCELLED)
                .expectNextMatches(event -> ((RunEvent.StreamEnded) event).finalStatus() == RunStatus.CANCELLED)
                .verifyComplete();

        assertThat(cancelled.get().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.get().id()).isEqualTo(started.get().run().id());
        assertThat(fake.requests().stream().filter(r -> r.path().endsWith("/cancel"))).hasSize(1);
    }

    @Test
    void cancel_whenTheStreamEndsWithoutAResponseCancelledEvent_theStreamStillEndsCancelled_withoutResuming() {
        fake.enqueue(FakeResponsesScenario.text(100, Duration.ofMillis(30)));
        var started = new AtomicReference<RunEvent.RunStatusChanged>();

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("default", "Hi")))
                        .doOnNext(event -> {
                            if (event instanceof RunEvent.RunStatusChanged changed) {
                                started.compareAndSet(null, changed);
                            }
                        }))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.TextDelta))
                .expectNextMatches(RunEvent.TextDelta.class::isInstance)
                .then(() -> join(provider.runs().cancel(
                        new CancelRunCommand(started.get().run().threadId(), started.get().run().id()))))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.RunStatusChanged))
                .expectNextMatches(event -> ((RunEvent.RunStatusChanged) event).status() == RunStatus.CANCELLED)
                .expectNextMatches(event -> ((RunEvent.StreamEnded) event).finalStatus() == RunStatus.CANCELLED)
                .verifyComplete();

        assertThat(fake.requests().stream().filter(r -> r.method().equals("GET") && r.query().containsKey("starting_after")))
                .as("no resumed stream").isEmpty();
    }

    @Test
    void cancel_ofARunThatAlreadyCompleted_isAConflict_andAResponseThatCompletedFirstKeepsItsStatus() {
        fake.enqueue(FakeResponsesScenario.fixture("text-run.sse"));
        Run run = join(provider.runs().createThreadAndRun(threadAndRun("default", "Hi")));

        // Nobody streamed it: the ledger still says in progress, the response is done; cancel finds that out.
        Run afterCancel = join(provider.runs().cancel(new CancelRunCommand(run.threadId(), run.id())));

        assertThat(afterCancel.status()).isEqualTo(RunStatus.COMPLETED);
        StepVerifier.create(Mono.fromCompletionStage(provider.runs().cancel(new CancelRunCommand(run.threadId(), run.id()))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.CONFLICT))
                .verify(TIMEOUT);
    }

    @Test
    void cancelWhileRequiringAction_answersThePendingCalls_soTheThreadTakesInputAgain() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"));
        var end = (RunEvent.StreamEnded) collect(provider.streams()
                .createThreadAndRunAndStream(threadAndRun("weather", "Weather?"))).getLast();

        Run cancelled = join(provider.runs().cancel(new CancelRunCommand(end.threadId(), end.runId())));

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(fake.pendingCalls(end.threadId())).isEmpty();
        JsonNode closing = fake.requests("POST", "/v1/conversations/" + end.threadId() + "/items").getFirst().body();
        assertThat(closing.path("items").get(0).path("type").asText()).isEqualTo("function_call_output");
        assertThat(closing.path("items").get(0).path("call_id").asText()).isEqualTo("call_weather_1");
        // The conversation accepts a new turn.
        List<RunEvent> next = collect(provider.streams().createAndStream(
                new CreateRunCommand(end.threadId(), "default", List.of(MessageInput.user("Thanks")), null)));
        assertThat(((RunEvent.StreamEnded) next.getLast()).finalStatus()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void runWaitingPastTheExpiry_expires_andRefusesToolOutputs() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"));
        var end = (RunEvent.StreamEnded) collect(provider.streams()
                .createThreadAndRunAndStream(threadAndRun("weather", "Weather?"))).getLast();
        clock.advance(ResponsesSettings.DEFAULT_REQUIRES_ACTION_EXPIRY.plusSeconds(1));

        Run expired = join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId())));

        assertThat(expired.status()).isEqualTo(RunStatus.EXPIRED);
        assertThat(fake.pendingCalls(end.threadId())).isEmpty();
        StepVerifier.create(flux(provider.streams().submitToolOutputsAndStream(new SubmitToolOutputsCommand(
                        end.threadId(), end.runId(), List.of(new ToolOutput("call_weather_1", "late"))))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.CONFLICT))
                .verify(TIMEOUT);
    }

    @Test
    void continuationThatCannotStart_leavesTheRunWaitingForTheOutputs() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"))
                .enqueue(FakeResponsesScenario.error(500, "server_error", null, "Try again"));
        var end = (RunEvent.StreamEnded) collect(provider.streams()
                .createThreadAndRunAndStream(threadAndRun("weather", "Weather?"))).getLast();

        StepVerifier.create(flux(provider.streams().submitToolOutputsAndStream(new SubmitToolOutputsCommand(
                        end.threadId(), end.runId(), List.of(new ToolOutput("call_weather_1", "sunny"))))))
                .expectError()
                .verify(TIMEOUT);

        Run run = join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId())));
        assertThat(run.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(run.requiredAction().toolCalls()).extracting(RequiredToolCall::id).containsExactly("call_weather_1");
    }

    @Test
    void newRunOnAThreadWithAWaitingRun_conflicts_untilThatRunExpires() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"));
        var end = (RunEvent.StreamEnded) collect(provider.streams()
                .createThreadAndRunAndStream(threadAndRun("weather", "Weather?"))).getLast();
        var again = new CreateRunCommand(end.threadId(), "default", List.of(MessageInput.user("Hello?")), null);

        StepVerifier.create(flux(provider.streams().createAndStream(again)))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.CONFLICT))
                .verify(TIMEOUT);
        clock.advance(ResponsesSettings.DEFAULT_REQUIRES_ACTION_EXPIRY.plusSeconds(1));
        List<RunEvent> next = collect(provider.streams().createAndStream(again));

        assertThat(((RunEvent.StreamEnded) next.getLast()).finalStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId()))).status())
                .isEqualTo(RunStatus.EXPIRED);
    }

    @Test
    void submitToolOutputs_forAnUnknownCall_isInvalid() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"));
        var end = (RunEvent.StreamEnded) collect(provider.streams()
                .createThreadAndRunAndStream(threadAndRun("weather", "Weather?"))).getLast();

        StepVerifier.create(flux(provider.streams().submitToolOutputsAndStream(new SubmitToolOutputsCommand(
                        end.threadId(), end.runId(), List.of(new ToolOutput("call_other", "x"))))))
                .expectErrorSatisfies(error -> {
                    assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(error.getMessage()).contains("call_other");
                })
                .verify(TIMEOUT);
        assertThat(join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId()))).status())
                .isEqualTo(RunStatus.REQUIRES_ACTION);
    }

    @Test
    void retrieveAndSteps_agreeWithWhatWasStreamed() {
        fake.enqueue(FakeResponsesScenario.fixture("code-interpreter.sse"));
        List<RunEvent> events = collect(provider.streams().createThreadAndRunAndStream(threadAndRun("analyst", "2+2?")));
        var end = (RunEvent.StreamEnded) events.getLast();

        Run run = join(provider.runs().retrieve(new RetrieveRunCommand(end.threadId(), end.runId())));
        List<RunStep> steps = steps(end.threadId(), end.runId());

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.usage()).isEqualTo(end.usage());
        assertThat(run.model()).isEqualTo("gpt-4.1");
        assertThat(steps).containsExactlyElementsOf(all(events, RunEvent.StepCompleted.class).stream()
                .map(RunEvent.StepCompleted::step).toList());
        assertThat(steps.getFirst().details()).isEqualTo(new StepDetails.ToolCalls(List.of(
                new ToolCall.CodeInterpreter("ci_1", "print(2 + 2)", List.of(new CodeOutput.Logs("4\n"))))));
        RunStep message = join(provider.steps().retrieve(new RetrieveRunStepCommand(end.threadId(), end.runId(), "msg_ci", null)));
        assertThat(message.type()).isEqualTo(RunStepType.MESSAGE_CREATION);
        assertThat(message.runId()).isEqualTo(end.runId());
        var newestFirst = join(provider.steps().list(new ListRunStepsCommand(end.threadId(), end.runId(),
                PageRequest.of(1, SortOrder.DESC, null, null), null)));
        assertThat(newestFirst.data()).extracting(RunStep::id).containsExactly("msg_ci");
        assertThat(newestFirst.hasMore()).isTrue();
    }

    @Test
    void listAndUpdate_comeFromTheLedger() {
        fake.enqueue(FakeResponsesScenario.fixture("text-run.sse")).enqueue(FakeResponsesScenario.fixture("text-run.sse"));
        var first = (RunEvent.StreamEnded) collect(provider.streams()
                .createThreadAndRunAndStream(threadAndRun("default", "Hi"))).getLast();
        clock.advance(Duration.ofSeconds(1));
        var second = (RunEvent.StreamEnded) collect(provider.streams().createAndStream(
                new CreateRunCommand(first.threadId(), "default", List.of(MessageInput.user("Again")), null))).getLast();

        Run updated = join(provider.runs().update(new UpdateRunCommand(first.threadId(), first.runId(), Map.of("topic", "greeting"))));
        var page = join(provider.runs().list(new ListRunsCommand(first.threadId(), null)));

        assertThat(updated.metadata()).containsEntry("topic", "greeting");
        assertThat(page.data()).extracting(Run::id).containsExactly(second.runId(), first.runId());
        assertThat(page.data()).extracting(Run::status).containsOnly(RunStatus.COMPLETED);
        assertThat(page.data().get(1).metadata()).containsEntry("topic", "greeting");
    }

    @Test
    void nonStreamingCreate_returnsTheQueuedRun_andRetrieveFollowsTheBackgroundResponse() {
        fake.enqueue(FakeResponsesScenario.fixture("function-call.sse"));

        Run queued = join(provider.runs().createThreadAndRun(threadAndRun("weather", "Weather?")));
        // The fake produces a background response over time, as the API does: poll until it has moved on.
        Run later = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> join(provider.runs().retrieve(new RetrieveRunCommand(queued.threadId(), queued.id()))),
                        run -> run.status() != RunStatus.QUEUED && run.status() != RunStatus.IN_PROGRESS);

        assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(fake.requests("POST", "/v1/responses").getFirst().body().has("stream")).isFalse();
        assertThat(later.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(later.requiredAction().toolCalls()).extracting(RequiredToolCall::id).containsExactly("call_weather_1");
    }

    @Test
    void promptIds_areSentAsPromptReferences_andUnknownAssistantsAreInvalid() {
        fake.enqueue(FakeResponsesScenario.fixture("text-run.sse"));
        collect(provider.streams().createThreadAndRunAndStream(threadAndRun("pmpt_abc123", "Hi")));

        JsonNode body = fake.requests("POST", "/v1/responses").getFirst().body();
        assertThat(body.path("prompt").path("id").asText()).isEqualTo("pmpt_abc123");
        assertThat(body.has("model")).isFalse();

        StepVerifier.create(flux(provider.streams().createThreadAndRunAndStream(threadAndRun("asst_unknown", "Hi"))))
                .expectErrorSatisfies(error -> {
                    assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(error.getMessage()).contains("asst_unknown");
                })
                .verify(TIMEOUT);
        assertThat(fake.requests("POST", "/v1/conversations")).hasSize(1);
    }

    @Test
    void retrieve_ofAnUnknownRun_isNotFound() {
        StepVerifier.create(Mono.fromCompletionStage(provider.runs().retrieve(new RetrieveRunCommand("conv_x", "run_x"))))
                .expectErrorSatisfies(error -> assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .verify(TIMEOUT);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static CreateThreadAndRunCommand threadAndRun(String assistantId, String message) {
        return new CreateThreadAndRunCommand(assistantId, List.of(MessageInput.user(message)), null, null);
    }

    private static Flux<RunEvent> flux(Flow.Publisher<RunEvent> publisher) {
        return JdkFlowAdapter.flowPublisherToFlux(publisher);
    }

    private static List<RunEvent> collect(Flow.Publisher<RunEvent> publisher) {
        var events = new ArrayList<RunEvent>();
        StepVerifier.create(flux(publisher))
                .recordWith(() -> events)
                .thenConsumeWhile(event -> true)
                .verifyComplete();
        return events;
    }

    private List<RunStep> steps(String threadId, String runId) {
        return join(provider.steps().list(new ListRunStepsCommand(threadId, runId,
                PageRequest.of(null, SortOrder.ASC, null, null), null))).data();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return Mono.fromCompletionStage(stage).block(TIMEOUT);
    }

    private static <T extends RunEvent> List<T> all(List<RunEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends RunEvent> T only(List<RunEvent> events, Class<T> type) {
        List<T> matching = all(events, type);
        assertThat(matching).as("events of type " + type.getSimpleName()).hasSize(1);
        return matching.getFirst();
    }

    private static String text(List<RunEvent> events) {
        var text = new StringBuilder();
        all(events, RunEvent.TextDelta.class).forEach(delta -> text.append(delta.text()));
        return text.toString();
    }

    private static List<RunStatus> statuses(List<RunEvent> events) {
        return all(events, RunEvent.RunStatusChanged.class).stream().map(RunEvent.RunStatusChanged::status).toList();
    }

    private static List<String> runIds(List<RunEvent> events) {
        return all(events, RunEvent.RunStatusChanged.class).stream().map(e -> e.run().id()).distinct().toList();
    }

    private static List<String> texts(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
