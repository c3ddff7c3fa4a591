package dev.runrelay.adapter.openai.assistants;

import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.RUNS_OF_THREAD;
import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.SUBMIT_TOOL_OUTPUTS;
import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.THREAD_AND_RUN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class OpenAiAssistantsRunStreamAdapterTest {

    // Generous: the first test of a class loads openai-java (seconds on a busy 2-core machine).
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private AssistantsTestSupport support = new AssistantsTestSupport();

    @AfterEach
    void stop() {
        support.close();
    }

    private static CreateRunCommand createRun() {
        return new CreateRunCommand("thread_abc123", "asst_abc123", List.of(MessageInput.user("What is sqrt(16)?")), null);
    }

    private List<RunEvent> streamAll(CreateRunCommand command) {
        return support.translated(support.provider.streams().createAndStream(command)).collectList().block(TIMEOUT);
    }

    @Test
    void textRun_createThreadAndRun_mapsEveryEventAndEndsWithStreamEnded() {
        support.fake.onStream("POST", THREAD_AND_RUN, FakeResponse.sseFixture("text-run.sse"));
        var command = new CreateThreadAndRunCommand("asst_abc123", List.of(MessageInput.user("Hi")), Map.of(), null);

        StepVerifier.create(support.translated(support.provider.streams().createThreadAndRunAndStream(command)))
                .expectNext(new RunEvent.ThreadCreated("thread_abc123"))
                // thread.run.created and thread.run.queued both say queued: one status event, not two.
                .assertNext(event -> assertThat(((RunEvent.RunStatusChanged) event).status()).isEqualTo(RunStatus.QUEUED))
                .assertNext(event -> assertThat(((RunEvent.RunStatusChanged) event).status()).isEqualTo(RunStatus.IN_PROGRESS))
                // thread.run.step.future_event is skipped
                .assertNext(event -> assertThat(((RunEvent.StepCreated) event).step().details())
                        .isEqualTo(new StepDetails.MessageCreation("msg_abc123")))
                .expectNext(new RunEvent.MessageCreated("msg_abc123", "thread_abc123", "run_abc123"))
                .expectNext(new RunEvent.TextCreated("msg_abc123", 0))
                .expectNext(new RunEvent.TextDelta("msg_abc123", 0, "Hello", List.of()))
                .expectNext(new RunEvent.TextDelta("msg_abc123", 0, "! How can I", List.of()))
                .expectNext(new RunEvent.TextDelta("msg_abc123", 0, " help you today?", List.of()))
                .assertNext(event -> assertThat(((RunEvent.MessageCompleted) event).message().text())
                        .isEqualTo("Hello! How can I help you today?"))
                .assertNext(event -> assertThat(((RunEvent.StepCompleted) event).step().status())
                        .isEqualTo(RunStepStatus.COMPLETED))
                .assertNext(event -> assertThat(((RunEvent.RunStatusChanged) event).status()).isEqualTo(RunStatus.COMPLETED))
                .expectNext(new RunEvent.UsageReported("run_abc123", new Usage(120, 18, 138)))
                .expectNext(new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.COMPLETED, new Usage(120, 18, 138)))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void textRun_generatedScenario_sendsTheUserMessageAndStreamsEveryDelta() throws InterruptedException {
        support.fake.textRuns(5, Duration.ofMillis(5));

        List<RunEvent> events = streamAll(createRun());

        assertThat(events).filteredOn(RunEvent.TextDelta.class::isInstance).hasSize(5);
        assertThat(events.getLast()).isInstanceOf(RunEvent.StreamEnded.class);
        var request = support.fake.takeRequest(TIMEOUT);
        assertThat(request.path()).isEqualTo("/v1/threads/thread_abc123/runs");
        assertThat(request.header("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(request.body()).contains("\"stream\":true").contains("\"additional_messages\"")
                .contains("What is sqrt(16)?");
    }

    @Test
    void codeInterpreterRun_streamsInputFragmentsThenLogsAndImage() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("code-interpreter-run.sse"));

        List<RunEvent> events = streamAll(createRun());

        assertThat(events).filteredOn(RunEvent.ToolCallCreated.class::isInstance)
                .containsExactly(new RunEvent.ToolCallCreated("step_code1", "call_code1", ToolType.CODE_INTERPRETER, null));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.CodeInputDelta || e instanceof RunEvent.CodeOutputAdded)
                .containsExactly(
                        new RunEvent.CodeInputDelta("step_code1", "call_code1", "import math\n"),
                        new RunEvent.CodeInputDelta("step_code1", "call_code1", "print(math.sqrt(16))"),
                        new RunEvent.CodeOutputAdded("step_code1", "call_code1", new CodeOutput.Logs("4.0\n")),
                        new RunEvent.CodeOutputAdded("step_code1", "call_code1", new CodeOutput.Image("file-img1")));
        var stepCompleted = events.stream().filter(RunEvent.StepCompleted.class::isInstance)
                .map(e -> ((RunEvent.StepCompleted) e).step()).findFirst().orElseThrow();
        assertThat(((StepDetails.ToolCalls) stepCompleted.details()).toolCalls())
                .containsExactly(new ToolCall.CodeInterpreter("call_code1", "import math\nprint(math.sqrt(16))",
                        List.of(new CodeOutput.Logs("4.0\n"), new CodeOutput.Image("file-img1"))));
        assertThat(events.getLast()).isEqualTo(
                new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.COMPLETED, new Usage(200, 40, 240)));
    }

    @Test
    void functionCallingRun_stopsAtRequiresAction_thenContinuesAfterSubmitToolOutputs() throws InterruptedException {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("function-call-run.sse"));
        support.fake.onStream("POST", SUBMIT_TOOL_OUTPUTS, FakeResponse.sseFixture("function-call-continued.sse"));

        List<RunEvent> first = streamAll(createRun());

        assertThat(first).filteredOn(e -> e instanceof RunEvent.ToolCallCreated || e instanceof RunEvent.FunctionArgumentsDelta)
                .containsExactly(
                        new RunEvent.ToolCallCreated("step_fn1", "call_fn1", ToolType.FUNCTION, "get_weather"),
                        new RunEvent.FunctionArgumentsDelta("step_fn1", "call_fn1", "get_weather", ""),
                        new RunEvent.FunctionArgumentsDelta("step_fn1", "call_fn1", null, "{\"city\""),
                        new RunEvent.FunctionArgumentsDelta("step_fn1", "call_fn1", null, ": \"Paris\"}"));
        assertThat(first).contains(new RunEvent.RequiresAction("thread_abc123", "run_abc123",
                List.of(new RequiredToolCall("call_fn1", "get_weather", "{\"city\": \"Paris\"}"))));
        assertThat(first.getLast()).isEqualTo(
                new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.REQUIRES_ACTION, null));

        var submit = new SubmitToolOutputsCommand("thread_abc123", "run_abc123",
                List.of(new ToolOutput("call_fn1", "18 C, sunny")));
        StepVerifier.create(support.translated(support.provider.streams().submitToolOutputsAndStream(submit)))
                .assertNext(event -> assertThat(((RunEvent.StepCompleted) event).step().details())
                        .isEqualTo(new StepDetails.ToolCalls(List.of(
                                new ToolCall.Function("call_fn1", "get_weather", "{\"city\": \"Paris\"}", "18 C, sunny")))))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.StreamEnded))
                .expectNext(new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.COMPLETED, new Usage(300, 25, 325)))
                .expectComplete()
                .verify(TIMEOUT);

        support.fake.takeRequest(TIMEOUT);
        var submitRequest = support.fake.takeRequest(TIMEOUT);
        assertThat(submitRequest.path()).isEqualTo("/v1/threads/thread_abc123/runs/run_abc123/submit_tool_outputs");
        assertThat(submitRequest.body()).contains("\"tool_call_id\":\"call_fn1\"").contains("\"output\":\"18 C, sunny\"")
                .contains("\"stream\":true");
    }

    @Test
    void fileSearchRun_reportsTheCallItsResultsAndCitations() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("file-search-run.sse"));

        List<RunEvent> events = streamAll(createRun());

        assertThat(events).filteredOn(RunEvent.FileSearchCalled.class::isInstance).hasSize(2)
                .first().isEqualTo(new RunEvent.FileSearchCalled("step_fs1", "call_fs1", List.of()));
        var withResults = (RunEvent.FileSearchCalled) events.stream()
                .filter(RunEvent.FileSearchCalled.class::isInstance).toList().get(1);
        assertThat(withResults.results()).singleElement().satisfies(result -> {
            assertThat(result.fileId()).isEqualTo("file-paris");
            assertThat(result.fileName()).isEqualTo("paris.md");
            assertThat(result.score()).isEqualTo(0.91);
            assertThat(result.content()).containsExactly("Paris is the capital of France.");
        });
        var cited = events.stream().filter(RunEvent.TextDelta.class::isInstance).map(RunEvent.TextDelta.class::cast)
                .filter(delta -> !delta.annotations().isEmpty()).findFirst().orElseThrow();
        assertThat(cited.annotations()).containsExactly(new Annotation(Annotation.Type.FILE_CITATION,
                "\u30104:0\u2020source\u3011", "file-paris", "Paris is the capital of France.", 31, 43));
        var completed = events.stream().filter(RunEvent.MessageCompleted.class::isInstance)
                .map(e -> ((RunEvent.MessageCompleted) e).message()).findFirst().orElseThrow();
        assertThat(completed.text()).isEqualTo("The capital of France is Paris\u30104:0\u2020source\u3011.");
        assertThat(completed.annotations()).singleElement()
                .extracting(Annotation::fileId, Annotation::startIndex, Annotation::endIndex)
                .containsExactly("file-paris", 31, 43);
    }

    @Test
    void failedRun_isNotAnError_itEndsWithStatusFailed() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("failed-run.sse"));

        List<RunEvent> events = streamAll(createRun());

        var failed = (RunEvent.RunStatusChanged) events.get(events.size() - 2);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.run().lastError().code()).isEqualTo("server_error");
        assertThat(failed.run().lastError().message()).isEqualTo("Sorry, something went wrong.");
        assertThat(events.getLast()).isEqualTo(new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.FAILED, null));
    }

    @Test
    void cancelledRun_stepCancelled_thenStreamEndsCancelled() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("cancelled-run.sse"));

        List<RunEvent> events = streamAll(createRun());

        assertThat(events).filteredOn(RunEvent.RunStatusChanged.class::isInstance)
                .extracting(e -> ((RunEvent.RunStatusChanged) e).status())
                .containsExactly(RunStatus.QUEUED, RunStatus.IN_PROGRESS, RunStatus.CANCELLING,
                        RunStatus.CANCELLED);
        assertThat(events).filteredOn(RunEvent.StepCompleted.class::isInstance)
                .singleElement().satisfies(e -> {
                    assertThat(((RunEvent.StepCompleted) e).step().status()).isEqualTo(RunStepStatus.CANCELLED);
                    assertThat(((RunEvent.StepCompleted) e).step().cancelledAt()).isNotNull();
                });
        assertThat(events.getLast()).isEqualTo(new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.CANCELLED, null));
    }

    @Test
    void expiredRun_stepExpired_thenStreamEndsExpired() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("expired-run.sse"));

        List<RunEvent> events = streamAll(createRun());

        assertThat(events).filteredOn(RunEvent.StepCompleted.class::isInstance)
                .singleElement().satisfies(e ->
                        assertThat(((RunEvent.StepCompleted) e).step().status()).isEqualTo(RunStepStatus.EXPIRED));
        assertThat(events.getLast()).isEqualTo(new RunEvent.StreamEnded("thread_abc123", "run_abc123", RunStatus.EXPIRED, null));
    }

    @Test
    void incompleteRun_reportsTheFailedStepTheIncompleteMessageAndTheReason() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("incomplete-run.sse"));

        List<RunEvent> events = streamAll(createRun());

        assertThat(events).filteredOn(RunEvent.StepCompleted.class::isInstance)
                .singleElement().satisfies(e -> {
                    var step = ((RunEvent.StepCompleted) e).step();
                    assertThat(step.status()).isEqualTo(RunStepStatus.FAILED);
                    assertThat(step.lastError().message()).isEqualTo("Tool failed.");
                });
        assertThat(events).filteredOn(RunEvent.MessageCompleted.class::isInstance)
                .singleElement().satisfies(e -> {
                    assertThat(((RunEvent.MessageCompleted) e).message().incomplete()).isTrue();
                    assertThat(((RunEvent.MessageCompleted) e).message().text()).isEqualTo("Once upon a");
                });
        var incomplete = (RunEvent.RunStatusChanged) events.stream()
                .filter(e -> e instanceof RunEvent.RunStatusChanged changed && changed.status() == RunStatus.INCOMPLETE)
                .findFirst().orElseThrow();
        assertThat(incomplete.run().incompleteDetails().reason()).isEqualTo("max_completion_tokens");
        assertThat(events.getLast()).isEqualTo(new RunEvent.StreamEnded("thread_abc123", "run_abc123",
                RunStatus.INCOMPLETE, new Usage(50, 256, 306)));
    }

    @Test
    void errorEvent_failsTheStreamWithTheProvidersError() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("error-event.sse"));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .expectNextCount(2)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(RunRelayException.class);
                    assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                    assertThat(error.getMessage()).contains("The server had an error");
                })
                .verify(TIMEOUT);
    }

    @Test
    void givenRateLimitedBeforeTheStream_failsBeforeAnyEvent_unprocessedWithRetryAfter() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.error(429, "requests", "rate_limit_exceeded",
                "Rate limit reached for gpt-4o.", Map.of("retry-after", "2")));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .expectErrorSatisfies(error -> {
                    var translated = (RunRelayException) error;
                    assertThat(translated.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(translated.unprocessed()).isTrue();
                    assertThat(translated.retryAfter()).contains(Duration.ofSeconds(2));
                    assertThat(translated.providerRequestId()).isPresent();
                })
                .verify(TIMEOUT);
    }

    @Test
    void malformedDataLine_interruptsTheStream() {
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("malformed-data.sse"));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .expectNextCount(2)
                .expectErrorSatisfies(error ->
                        assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED))
                .verify(TIMEOUT);
    }

    @Test
    void connectionDroppedMidStream_isStreamInterrupted_notSilence() {
        support.fake.onStream("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 10, false)).droppingAfter(8));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .thenConsumeWhile(event -> !(event instanceof RunEvent.StreamEnded))
                .expectErrorSatisfies(error ->
                        assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED))
                .verify(TIMEOUT);
    }

    @Test
    void bodyEndingCleanlyBeforeDone_isStreamInterrupted() {
        var frames = AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 3, false);
        support.fake.onStream("POST", RUNS_OF_THREAD, FakeResponse.sse(frames.subList(0, 6)));

        // Six frames, five events: the second "queued" is not a change of status.
        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .expectNextCount(4)
                .expectErrorSatisfies(error ->
                        assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED))
                .verify(TIMEOUT);
    }

    @Test
    void stallLongerThanReadTimeout_failsWithTimeout() {
        support.close();
        support = new AssistantsTestSupport(Duration.ofMillis(300), Duration.ZERO);
        support.fake.onStream("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 3, false))
                        .stallingAfter(4, Duration.ofSeconds(3)));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .expectNextCount(3)
                .expectErrorSatisfies(error ->
                        assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.TIMEOUT))
                .verify(TIMEOUT);
    }

    @Test
    void longHealthyStream_withNoOverallDeadline_outlivesManyReadTimeouts() {
        support.close();
        // 40 deltas, one every 50 ms: about 2.5 s of stream, never silent for 500 ms (read timeout).
        support = new AssistantsTestSupport(Duration.ofMillis(500), Duration.ZERO);
        support.fake.onStream("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 40, false))
                        .every(Duration.ofMillis(50)));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun()))
                        .filter(RunEvent.StreamEnded.class::isInstance))
                .expectNextCount(1)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void givenAnOverallRequestTimeout_aLongerStreamIsCut_whichIsWhyTheDefaultIsNone() {
        support.close();
        support = new AssistantsTestSupport(Duration.ofMillis(500), Duration.ofSeconds(1));
        support.fake.onStream("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 40, false))
                        .every(Duration.ofMillis(50)));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun()))
                        .filter(RunEvent.StreamEnded.class::isInstance))
                .expectErrorSatisfies(error ->
                        assertThat(((RunRelayException) error).code()).isEqualTo(ErrorCode.TIMEOUT))
                .verify(TIMEOUT);
    }

    @Test
    void manyStreamsCutByTheDeadlineWhileChunksArrive_everyOneEndsWithTimeout() {
        // The deadline fires on another thread than the chunks: each stream must still end, none hang.
        support.close();
        support = new AssistantsTestSupport(Duration.ofSeconds(5), Duration.ofMillis(300));
        support.fake.onStream("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 5_000, false))
                        .every(Duration.ofMillis(1)));
        int streams = 40;

        List<ErrorCode> ends = reactor.core.publisher.Flux.range(0, streams)
                .flatMap(i -> support.translated(support.provider.streams().createAndStream(createRun()))
                        .then(reactor.core.publisher.Mono.<ErrorCode>empty())
                        .onErrorResume(RunRelayException.class, e -> reactor.core.publisher.Mono.just(e.code())))
                .collectList()
                .block(TIMEOUT);

        assertThat(ends).hasSize(streams).containsOnly(ErrorCode.TIMEOUT);
    }

    @Test
    void subscriberCancelsMidStream_serverSeesTheConnectionClosedWithinOneSecond() throws InterruptedException {
        support.fake.onStream("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_abc123", "run_abc123", 500, false))
                        .every(Duration.ofMillis(20)));

        StepVerifier.create(support.translated(support.provider.streams().createAndStream(createRun())))
                .expectNextCount(10)
                .thenCancel()
                .verify(TIMEOUT);

        long cancelledAt = System.nanoTime();
        while (support.fake.clientClosedStreams() == 0 && System.nanoTime() - cancelledAt < 1_000_000_000L) {
            Thread.sleep(10);
        }
        assertThat(support.fake.clientClosedStreams()).as("streams the client closed").isEqualTo(1);
        assertThat(support.fake.openStreams()).isZero();
        assertThat(support.fake.completedStreams()).isZero();
    }
}
