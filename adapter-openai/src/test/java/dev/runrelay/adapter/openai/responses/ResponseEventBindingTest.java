package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import dev.runrelay.adapter.openai.fake.OkHttpResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.runrelay.adapter.openai.responses.ResponseMapping.RunRecordView;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.FileSearchResult;
import dev.runrelay.domain.step.RunStepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stream path's own binding of Responses events ({@link ResponseEvent}, {@link ResponseView}; ADR 0031)
 * reads what openai-java reads from the same JSON: each case parses realistic event data both ways and
 * compares every value the run mapping uses, read through openai-java's own accessors on one side.
 */
class ResponseEventBindingTest {

    private static final HttpResponse OK = OkHttpResponse.OK;

    private static final String LONG_TEXT = "Hello \\\"world\\\" \u00e9\u20ac\\n".repeat(400);

    /** A finished response as the API sends it, with every kind of output item and members the mapping ignores. */
    private static String response(String status, String extra) {
        return "{\"id\":\"resp_9\",\"object\":\"response\",\"created_at\":1760000123.5,\"status\":\"" + status + "\","
                + "\"background\":false,\"completed_at\":1760000130.25,\"conversation\":{\"id\":\"conv_1\"},"
                + "\"instructions\":\"Be brief.\",\"max_output_tokens\":2048,\"max_tool_calls\":null,"
                + "\"metadata\":{\"k\":\"v\"},\"model\":\"gpt-4.1-mini-2025-04-14\",\"parallel_tool_calls\":false,"
                + "\"previous_response_id\":null,\"prompt_cache_key\":null,\"reasoning\":{\"effort\":null,\"summary\":null},"
                + "\"service_tier\":\"default\",\"store\":true,\"temperature\":0.7,\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"},"
                + "\"tool_choice\":\"auto\",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}},\"strict\":true},"
                + "{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}},"
                + "{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_1\"],\"max_num_results\":5},"
                + "{\"type\":\"web_search_preview\",\"search_context_size\":\"medium\"}],"
                + "\"top_logprobs\":0,\"top_p\":0.9,\"truncation\":\"disabled\",\"user\":null,"
                + "\"usage\":{\"input_tokens\":1200,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":900,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":64},\"total_tokens\":2100},"
                + "\"output\":["
                + "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[],\"content\":[{\"type\":\"reasoning_text\",\"text\":\"hmm\"}]},"
                + "{\"id\":\"fs_1\",\"type\":\"file_search_call\",\"status\":\"completed\",\"queries\":[\"refunds\"],"
                + "\"results\":[{\"file_id\":\"file-abc\",\"filename\":\"policy.pdf\",\"score\":0.92,\"text\":\"Refunds within 30 days.\","
                + "\"attributes\":{}},{\"file_id\":\"file-def\",\"filename\":\"faq.md\",\"score\":0.1}]},"
                + "{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"completed\",\"container_id\":\"cntr_1\","
                + "\"code\":\"print(2 + 2)\",\"outputs\":[{\"type\":\"logs\",\"logs\":\"4\\n\"},{\"type\":\"image\",\"url\":\"https://x/y.png\"}]},"
                + "{\"id\":\"ci_2\",\"type\":\"code_interpreter_call\",\"status\":\"failed\",\"container_id\":\"cntr_1\",\"code\":null,\"outputs\":null},"
                + "{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"completed\",\"call_id\":\"call_1\",\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},"
                + "{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"output_text\",\"text\":\"" + LONG_TEXT + "\",\"logprobs\":[],\"annotations\":["
                + "{\"type\":\"file_citation\",\"file_id\":\"file-abc\",\"filename\":\"policy.pdf\",\"index\":36},"
                + "{\"type\":\"file_path\",\"file_id\":\"file-p\",\"index\":4},"
                + "{\"type\":\"container_file_citation\",\"container_id\":\"cntr_1\",\"file_id\":\"cfile_1\",\"filename\":\"a.csv\","
                + "\"start_index\":2,\"end_index\":9},"
                + "{\"type\":\"url_citation\",\"url\":\"https://e.x\",\"title\":\"t\",\"start_index\":0,\"end_index\":1}]},"
                + "{\"type\":\"refusal\",\"refusal\":\" I can't.\"}]},"
                + "{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"completed\",\"action\":{\"type\":\"search\",\"query\":\"q\"}}"
                + "]" + extra + "}";
    }

    private static String event(String type, long sequence, String members) {
        return "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence + (members.isEmpty() ? "" : "," + members) + "}";
    }

    private static ResponseStreamEvent sdk(String data) throws Exception {
        return ObjectMappers.jsonMapper().readValue(data, ResponseStreamEvent.class);
    }

    @Test
    void completedResponse_withLongOutputAndEveryItemKind_readsAsTheSdkReadsIt() throws Exception {
        String data = event("response.completed", 1207, "\"response\":" + response("completed", ",\"error\":null,\"incomplete_details\":null"));
        ResponseEvent ours = ResponseEventStream.parse(data, OK);
        Response theirs = sdk(data).completed().orElseThrow().response();

        assertThat(ours.type()).isEqualTo("response.completed");
        assertThat(ours.sequenceNumber()).isEqualTo(1207);
        assertThat(ours.isTerminal()).isTrue();
        assertSameResponse(ResponseEventMapper.response(ours).orElseThrow(), theirs);
        // And the conversion used for create/retrieve/cancel reads the same (trees compare by number type: not here).
        assertSameResponse(ResponseView.of(theirs), theirs);
        assertThat(ResponseView.of(theirs).output().getLast()).isEqualTo(ours.response().output().getLast());
    }

    @Test
    void failedAndIncompleteResponses_keepTheirErrorAndReason() throws Exception {
        String failed = event("response.failed", 9, "\"response\":" + response("failed",
                ",\"error\":{\"code\":\"server_error\",\"message\":\"The model broke.\"},\"incomplete_details\":null"));
        String incomplete = event("response.incomplete", 10, "\"response\":" + response("incomplete",
                ",\"error\":null,\"incomplete_details\":{\"reason\":\"max_output_tokens\"}"));

        ResponseView failedView = ResponseEventStream.parse(failed, OK).response();
        Response failedSdk = sdk(failed).failed().orElseThrow().response();
        assertSameResponse(failedView, failedSdk);
        assertThat(failedView.error().code()).isEqualTo(failedSdk.error().orElseThrow().code().asString()).isEqualTo("server_error");

        ResponseView incompleteView = ResponseEventStream.parse(incomplete, OK).response();
        Response incompleteSdk = sdk(incomplete).incomplete().orElseThrow().response();
        assertSameResponse(incompleteView, incompleteSdk);
        var record = record();
        assertThat(ResponseMapping.run(record, List.of(incompleteView), RunStatus.INCOMPLETE).incompleteDetails().reason())
                .isEqualTo(incompleteSdk.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                .isEqualTo("max_output_tokens");
        assertThat(ResponseMapping.run(record, List.of(failedView), RunStatus.FAILED).lastError().message())
                .isEqualTo("The model broke.");
    }

    @Test
    void outputItemEvents_ofFunctionCallsAndCodeInterpreter_readAsTheSdkReadsThem() throws Exception {
        for (String item : List.of(
                "{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"in_progress\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"\"}",
                "{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"completed\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"a\\\":1}\"}",
                "{\"type\":\"function_call\",\"call_id\":\"call_2\",\"name\":\"f\",\"arguments\":\"{}\"}",
                "{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"in_progress\",\"container_id\":\"c\",\"code\":\"\",\"outputs\":null}",
                "{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"incomplete\",\"container_id\":\"c\",\"code\":\"x\",\"outputs\":[{\"type\":\"logs\",\"logs\":\"\"}]}",
                "{\"id\":\"msg_2\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}",
                "{\"id\":\"rs_2\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"s\"}]}")) {
            for (String type : List.of("response.output_item.added", "response.output_item.done")) {
                String data = event(type, 4, "\"output_index\":0,\"item\":" + item + ",\"obfuscation\":\"zz\"");
                ResponseEvent ours = ResponseEventStream.parse(data, OK);
                ResponseStreamEvent theirs = sdk(data);
                ResponseOutputItem sdkItem = type.endsWith("added")
                        ? theirs.outputItemAdded().orElseThrow().item() : theirs.outputItemDone().orElseThrow().item();
                assertSameItem(ours.item(), sdkItem);
            }
        }
    }

    @Test
    void deltaAndAnnotationEvents_readAsTheSdkReadsThem() throws Exception {
        String annotation = event("response.output_text.annotation.added", 11, "\"item_id\":\"msg_fs\",\"output_index\":1,"
                + "\"content_index\":2,\"annotation_index\":0,\"annotation\":{\"type\":\"file_citation\",\"file_id\":\"file-abc\","
                + "\"filename\":\"policy.pdf\",\"index\":36}");
        ResponseEvent ours = ResponseEventStream.parse(annotation, OK);
        var theirs = sdk(annotation).outputTextAnnotationAdded().orElseThrow();
        assertThat(ours.itemId()).isEqualTo(theirs.itemId());
        assertThat(ours.contentIndex()).isEqualTo(theirs.contentIndex());
        assertThat(ResponseMapping.annotation(ours.annotation())).contains(
                new Annotation(Annotation.Type.FILE_CITATION, "policy.pdf", "file-abc", null, 36, 36));

        String arguments = event("response.function_call_arguments.delta", 5, "\"item_id\":\"fc_1\",\"output_index\":0,\"delta\":\"{\\\"ci\"");
        ResponseEvent args = ResponseEventStream.parse(arguments, OK);
        var sdkArgs = sdk(arguments).functionCallArgumentsDelta().orElseThrow();
        assertThat(args.itemId()).isEqualTo(sdkArgs.itemId());
        assertThat(args.delta()).isEqualTo(sdkArgs.delta()).isEqualTo("{\"ci");

        String refusal = event("response.refusal.delta", 6, "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"No\"");
        ResponseEvent ref = ResponseEventStream.parse(refusal, OK);
        var sdkRef = sdk(refusal).refusalDelta().orElseThrow();
        assertThat(ref.delta()).isEqualTo(sdkRef.delta());
        assertThat(ref.contentIndex()).isEqualTo(sdkRef.contentIndex());
    }

    @Test
    void unknownEventTypes_andMembersOfAnyShape_keepTheirTypeAndSequenceNumber() throws Exception {
        for (String data : List.of(
                event("response.reasoning_summary_text.delta", 21, "\"item_id\":\"rs_1\",\"delta\":{\"odd\":[1,2]},\"x\":[{}]"),
                event("response.mcp_call_arguments.delta", 22, "\"item\":[1,2,3],\"response\":\"not an object\""),
                event("response.something_new", 23, "\"content_index\":\"seven\",\"annotation\":5"))) {
            ResponseEvent ours = ResponseEventStream.parse(data, OK);
            ResponseStreamEvent theirs = sdk(data);
            assertThat(ours.type()).isEqualTo(json(theirs).path("type").textValue());
            assertThat(ours.sequenceNumber()).isEqualTo(json(theirs).path("sequence_number").longValue());
            assertThat(new ResponseEventMapper(new RunRecordView("run_1", "conv_1", "asst_1")).map(ours, record())).isEmpty();
        }
    }

    @Test
    void anEventWithoutSequenceNumberOrContentIndex_hasNone_notZero() throws Exception {
        // The resume bookkeeping drops events at or below the last sequence number it saw: "none" must not read as 0.
        String data = "{\"type\":\"response.content_part.added\",\"item_id\":\"msg_1\",\"part\":{\"type\":\"output_text\"}}";
        ResponseEvent ours = ResponseEventStream.parse(data, OK);
        assertThat(ours.sequenceNumber()).isEqualTo(-1);
        assertThat(ours.contentIndex()).isEqualTo(-1);
        assertThat(json(sdk(data)).has("sequence_number")).isFalse();
    }

    @Test
    void anEventTheMappingReads_withMembersOfTheWrongShape_isUnreadable() {
        assertThatThrownBy(() -> ResponseEventStream.parse(
                        event("response.output_item.added", 3, "\"item\":[\"not\",\"an\",\"item\"]"), OK))
                .isInstanceOf(OpenAIInvalidDataException.class);
        assertThatThrownBy(() -> ResponseEventStream.parse(event("response.completed", 3, "\"response\":\"gone\""), OK))
                .isInstanceOf(OpenAIInvalidDataException.class);
    }

    @Test
    void dataThatIsNoObject_isAnEventWithoutType_asTheSdkKeepsIt() throws Exception {
        ResponseEvent ours = ResponseEventStream.parse("[1,2]", OK);
        assertThat(ours.type()).isEqualTo("?");
        assertThat(ours.sequenceNumber()).isEqualTo(-1);
        assertThat(sdk("[1,2]")._json().orElseThrow().asArray()).isPresent();
    }

    @Test
    void aTerminalEventWithoutItsResponse_failsAsTheSdksAccessorWould() {
        ResponseEvent event = ResponseEventStream.parse(event("response.completed", 3, ""), OK);
        assertThatThrownBy(() -> event.required(ResponseEventMapper.response(event).orElse(null), "response"))
                .isInstanceOf(OpenAIInvalidDataException.class);
    }

    // ---- the SDK's reading, through its accessors ----------------------------------------------------

    /** What openai-java holds of a value: its JSON as the SDK writes it back. */
    private static com.fasterxml.jackson.databind.JsonNode json(Object sdkValue) {
        return ObjectMappers.jsonMapper().valueToTree(sdkValue);
    }

    private static RunRecord record() {
        return RunRecord.started("run_1", "conv_1", "asst_1", "gpt-4.1-mini", Map.of(), Instant.parse("2026-12-03T10:00:00Z"));
    }

    private static void assertSameResponse(ResponseView ours, Response theirs) {
        assertThat(ours.id()).isEqualTo(theirs.id());
        assertThat(ours.status()).isEqualTo(theirs.status().orElseThrow().asString());
        assertThat(ours.createdAt()).isEqualTo(theirs.createdAt());
        assertThat(ours.completedAt()).isEqualTo(theirs.completedAt().orElse(null));
        var model = theirs.model();
        assertThat(ours.model()).isEqualTo(model.isString() ? model.asString()
                : model.isChat() ? model.asChat().asString() : model.asOnly().asString());
        assertThat(ours.instructionsText()).isEqualTo(theirs.instructions().flatMap(i -> i.string()).orElse(null));
        assertThat(ours.temperature()).isEqualTo(theirs.temperature().orElse(null));
        assertThat(ours.topP()).isEqualTo(theirs.topP().orElse(null));
        assertThat(ours.maxOutputTokens()).isEqualTo(theirs.maxOutputTokens().orElse(null));
        assertThat(ours.parallelToolCalls()).isEqualTo(theirs.parallelToolCalls());
        var usage = theirs.usage().orElseThrow();
        assertThat(ResponseMapping.usage(ours)).contains(
                new dev.runrelay.domain.shared.Usage(usage.inputTokens(), usage.outputTokens(), usage.totalTokens()));
        assertThat(ours.error() == null ? null : ours.error().message())
                .isEqualTo(theirs.error().map(e -> e.message()).orElse(null));
        var tools = new ArrayList<String>();
        for (var tool : theirs.tools()) {
            tool.function().ifPresent(f -> tools.add("function " + f.name() + " " + f.description().orElse(null) + " " + f.strict().orElse(null)));
            tool.codeInterpreter().ifPresent(c -> tools.add("code_interpreter"));
            tool.fileSearch().ifPresent(f -> tools.add("file_search " + f.maxNumResults().orElse(null)));
        }
        var ourTools = ResponseMapping.run(record(), List.of(ours), RunStatus.COMPLETED).tools().stream()
                .map(t -> switch (t) {
                    case dev.runrelay.domain.run.Tool.Function f -> "function " + f.name() + " " + f.description() + " " + f.strict();
                    case dev.runrelay.domain.run.Tool.CodeInterpreter c -> "code_interpreter";
                    case dev.runrelay.domain.run.Tool.FileSearch f -> "file_search " + f.maxNumResults();
                })
                .toList();
        assertThat(ourTools).isEqualTo(tools).hasSize(3);
        assertThat(ours.output()).hasSameSizeAs(theirs.output());
        for (int i = 0; i < ours.output().size(); i++) {
            assertSameItem(ours.output().get(i), theirs.output().get(i));
        }
        assertThat(ResponseMapping.functionCalls(ours)).containsExactlyElementsOf(theirs.output().stream()
                .flatMap(item -> item.functionCall().stream())
                .map(call -> new dev.runrelay.domain.run.RequiredToolCall(call.callId(), call.name(), call.arguments()))
                .toList());
    }

    private static void assertSameItem(ResponseView.OutputItem ours, ResponseOutputItem theirs) {
        var run = new RunRecordView("run_1", "conv_1", "asst_1");
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        assertThat(ours.isMessage()).isEqualTo(theirs.message().isPresent());
        assertThat(ours.isFunctionCall()).isEqualTo(theirs.functionCall().isPresent());
        assertThat(ours.isCodeInterpreterCall()).isEqualTo(theirs.codeInterpreterCall().isPresent());
        assertThat(ours.isFileSearchCall()).isEqualTo(theirs.fileSearchCall().isPresent());
        String sdkStatus = json(theirs).path("status").isTextual() ? json(theirs).path("status").textValue() : "completed";
        assertThat(ResponseMapping.finishedStatus(ours)).isEqualTo(switch (sdkStatus) {
            case "failed" -> RunStepStatus.FAILED;
            case "incomplete" -> RunStepStatus.CANCELLED;
            default -> RunStepStatus.COMPLETED;
        });
        var step = ResponseMapping.step(ours, run, at, RunStepStatus.COMPLETED);
        assertThat(step.isPresent()).isEqualTo(ours.isMessage() || ours.isFunctionCall() || ours.isCodeInterpreterCall()
                || ours.isFileSearchCall());
        theirs.message().ifPresent(m -> {
            assertThat(ours.id()).isEqualTo(m.id());
            assertThat(ours.status()).isEqualTo(m.status().asString());
            var text = new StringBuilder();
            var annotations = new ArrayList<Annotation>();
            m.content().forEach(c -> {
                c.outputText().ifPresent(t -> {
                    text.append(t.text());
                    t.annotations().forEach(a -> ResponseMapping.annotation(
                            ObjectMappers.jsonMapper().valueToTree(a)).ifPresent(annotations::add));
                });
                c.refusal().ifPresent(r -> text.append(r.refusal()));
            });
            assertThat(ResponseMapping.text(ours)).isEqualTo(text.toString());
            assertThat(ResponseMapping.annotations(ours)).isEqualTo(annotations);
            assertThat(step.orElseThrow().id()).isEqualTo(m.id());
        });
        theirs.functionCall().ifPresent(call -> {
            assertThat(step.orElseThrow().id()).isEqualTo(call.id().orElse(call.callId()));
            assertThat(ours.callId()).isEqualTo(call.callId());
            assertThat(ours.name()).isEqualTo(call.name());
            assertThat(ours.arguments()).isEqualTo(call.arguments());
        });
        theirs.codeInterpreterCall().ifPresent(call -> {
            assertThat(ours.id()).isEqualTo(call.id());
            assertThat(ours.code() == null ? "" : ours.code()).isEqualTo(call.code().orElse(""));
            var outputs = new ArrayList<CodeOutput>();
            for (var output : call.outputs().orElse(List.of())) {
                output.logs().ifPresent(l -> outputs.add(new CodeOutput.Logs(l.logs())));
                output.image().ifPresent(i -> outputs.add(new CodeOutput.Image(i.url())));
            }
            assertThat(ResponseMapping.codeOutputs(ours)).isEqualTo(outputs);
        });
        theirs.fileSearchCall().ifPresent(call -> {
            assertThat(ours.id()).isEqualTo(call.id());
            List<FileSearchResult> results = call.results().orElse(List.of()).stream()
                    .map(r -> new FileSearchResult(r.fileId().orElse(null), r.filename().orElse(null),
                            r.score().map(Float::doubleValue).orElse(0.0), r.text().map(List::of).orElse(List.of())))
                    .toList();
            assertThat(ResponseMapping.fileSearchResults(ours)).isEqualTo(results).isNotEmpty();
        });
    }
}
