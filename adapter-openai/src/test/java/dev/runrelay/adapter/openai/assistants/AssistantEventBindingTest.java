package dev.runrelay.adapter.openai.assistants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import dev.runrelay.adapter.openai.fake.OkHttpResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import dev.runrelay.adapter.openai.transport.SseDecoder;
import dev.runrelay.adapter.openai.transport.SseEvent;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The structural Assistants events bound by the stream path itself (ADR 0031) read what openai-java reads:
 * a run event's data bound into {@link RunJson} maps to the run openai-java's {@code Run} mapped to before
 * ({@link SdkRunMapping}), and step and message events bound straight into their openai-java type equal the
 * SDK handler's reading; whole recorded runs map to the same domain events either way.
 */
@SuppressWarnings("deprecation")
class AssistantEventBindingTest {

    private static final HttpResponse OK = OkHttpResponse.OK;

    private static final String RICH_RUN = "{\"id\":\"run_9\",\"object\":\"thread.run\",\"created_at\":1763700000,"
            + "\"assistant_id\":\"asst_1\",\"thread_id\":\"thread_1\",\"status\":\"requires_action\",\"started_at\":1763700001,"
            + "\"expires_at\":1763700600,\"cancelled_at\":null,\"failed_at\":null,\"completed_at\":null,"
            + "\"required_action\":{\"type\":\"submit_tool_outputs\",\"submit_tool_outputs\":{\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}},"
            + "\"last_error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Slow down\"},\"model\":\"gpt-4o\","
            + "\"instructions\":\"Be brief.\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}},"
            + "\"strict\":true}},{\"type\":\"code_interpreter\"},{\"type\":\"file_search\",\"file_search\":{\"max_num_results\":7}}],"
            + "\"tool_resources\":{},\"metadata\":{\"team\":\"blue\",\"n\":\"3\"},\"temperature\":0.5,\"top_p\":0.9,"
            + "\"max_completion_tokens\":1024,\"max_prompt_tokens\":2048,"
            + "\"truncation_strategy\":{\"type\":\"last_messages\",\"last_messages\":4},\"incomplete_details\":null,"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42},"
            + "\"response_format\":{\"type\":\"json_object\"},"
            + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},\"parallel_tool_calls\":false,"
            + "\"reasoning_effort\":null,\"something_new\":{\"x\":[1,2]}}";

    private static final String CITED_MESSAGE = "{\"id\":\"msg_9\",\"object\":\"thread.message\",\"created_at\":1763700000,"
            + "\"assistant_id\":\"asst_1\",\"thread_id\":\"thread_1\",\"run_id\":\"run_9\",\"status\":\"incomplete\","
            + "\"incomplete_details\":{\"reason\":\"max_tokens\"},\"incomplete_at\":1763700009,\"completed_at\":null,"
            + "\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":{\"value\":\"Refunds [1] in /tmp/a.csv\","
            + "\"annotations\":[{\"type\":\"file_citation\",\"text\":\"[1]\",\"start_index\":8,\"end_index\":11,"
            + "\"file_citation\":{\"file_id\":\"file-abc\",\"quote\":\"30 days\"}},{\"type\":\"file_path\",\"text\":\"/tmp/a.csv\","
            + "\"start_index\":15,\"end_index\":25,\"file_path\":{\"file_id\":\"file-p\"}}]}},"
            + "{\"type\":\"image_file\",\"image_file\":{\"file_id\":\"file-img\"}}],\"attachments\":[],\"metadata\":{}}";

    @ParameterizedTest
    @ValueSource(strings = {"text-run.sse", "code-interpreter-run.sse", "file-search-run.sse", "function-call-run.sse",
            "function-call-continued.sse", "incomplete-run.sse", "failed-run.sse", "cancelled-run.sse", "expired-run.sse"})
    void everyStructuralEventOfARecordedRun_bindsAsTheSdkReadsIt_andMapsTheSame(String fixture) throws IOException {
        List<SseEvent> events = fixture(fixture);
        var viaDirect = new AssistantStreamMapper(null);
        var viaSdk = new AssistantStreamMapper(null);
        int bound = 0;
        for (SseEvent event : events) {
            if (event.isDone()) {
                continue;
            }
            AssistantStreamEvent sdk = AssistantEventStream.bySdk(event, OK);
            AssistantStreamEvent direct = AssistantEventStream.direct(event.event(), event.data());
            if (event.event().startsWith("thread.run.") && !event.event().startsWith("thread.run.step.")) {
                assertThat(AssistantEventStream.runJson(event.data())).as(event.event()).isNotNull();
                bound++;
            }
            if (direct != null) {
                bound++;
                assertThat(direct).as(event.event()).isEqualTo(sdk);
            }
            List<RunEvent> expected = viaSdk.map(sdk);
            assertThat(AssistantEventStream.map(event, OK, viaDirect)).as(event.event()).isEqualTo(expected);
        }
        assertThat(bound).as("structural events bound directly in " + fixture).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRunWithEverySetting_mapsAsTheSdksRunMappedBefore() throws IOException {
        for (String status : List.of("queued", "in_progress", "requires_action", "completed", "incomplete", "failed",
                "cancelling", "cancelled", "expired")) {
            String data = RICH_RUN.replace("\"status\":\"requires_action\"", "\"status\":\"" + status + "\"");
            var sdkRun = ObjectMappers.jsonMapper().readValue(data, com.openai.models.beta.threads.runs.Run.class);
            Run expected = SdkRunMapping.run(sdkRun);

            assertThat(AssistantsMapping.run(RunJson.read(data))).as(status).isEqualTo(expected);
            assertThat(AssistantsMapping.run(sdkRun)).as("openai-java's run, converted").isEqualTo(expected);
            SseEvent event = new SseEvent("thread.run." + status, data);
            assertThat(AssistantEventStream.map(event, OK, new AssistantStreamMapper(null)))
                    .isEqualTo(new AssistantStreamMapper(null).map(AssistantEventStream.bySdk(event, OK)))
                    .first().isEqualTo(new RunEvent.RunStatusChanged(expected));
        }
        // The other shapes of the members that are unions in openai-java.
        for (String[] swap : List.of(
                new String[] {"\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", "\"tool_choice\":\"none\""},
                new String[] {"\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", "\"tool_choice\":\"required\""},
                new String[] {"\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", "\"tool_choice\":{\"type\":\"file_search\"}"},
                new String[] {"\"response_format\":{\"type\":\"json_object\"}", "\"response_format\":\"auto\""},
                new String[] {"\"response_format\":{\"type\":\"json_object\"}", "\"response_format\":{\"type\":\"text\"}"},
                new String[] {"\"response_format\":{\"type\":\"json_object\"}", "\"response_format\":null"},
                new String[] {"\"truncation_strategy\":{\"type\":\"last_messages\",\"last_messages\":4}", "\"truncation_strategy\":null"},
                new String[] {"\"required_action\":{", "\"x\":{"},
                new String[] {"\"incomplete_details\":null", "\"incomplete_details\":{\"reason\":\"max_prompt_tokens\"}"},
                new String[] {"\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42}", "\"usage\":null"})) {
            assertThat(RICH_RUN).contains(swap[0]);
            String data = RICH_RUN.replace(swap[0], swap[1]);
            var sdkRun = ObjectMappers.jsonMapper().readValue(data, com.openai.models.beta.threads.runs.Run.class);
            assertThat(AssistantsMapping.run(RunJson.read(data))).as(swap[1]).isEqualTo(SdkRunMapping.run(sdkRun));
        }
    }

    @Test
    void aMessageWithAnnotations_bindsAsTheSdkReadsIt() {
        for (SseEvent event : List.of(new SseEvent("thread.message.incomplete", CITED_MESSAGE),
                new SseEvent("thread.message.completed", CITED_MESSAGE), new SseEvent("thread.message.created", CITED_MESSAGE))) {
            AssistantStreamEvent direct = AssistantEventStream.direct(event.event(), event.data());
            AssistantStreamEvent sdk = AssistantEventStream.bySdk(event, OK);
            assertThat(direct).as(event.event()).isNotNull().isEqualTo(sdk);
            assertThat(new AssistantStreamMapper(null).map(direct)).isEqualTo(new AssistantStreamMapper(null).map(sdk)).isNotEmpty();
        }
    }

    @Test
    void oddData_bindsAsTheSdkBindsIt_andAnErrorMemberUnreadableDataOrAnUnknownName_takeTheSdksPath() {
        // tools of the wrong shape: openai-java binds it anyway and fails when they are read; so does the stream path.
        String oddRun = RICH_RUN.replace("\"tools\":[", "\"tools\":{\"x\":[").replace("],\"tool_resources\"", "]},\"tool_resources\"");
        SseEvent odd = new SseEvent("thread.run.created", oddRun);
        assertThat(AssistantEventStream.runJson(oddRun)).as("left to the SDK's path").isNull();
        assertThatThrownBy(() -> SdkRunMapping.run(AssistantEventStream.bySdk(odd, OK).asThreadRunCreated().data()))
                .isInstanceOf(OpenAIInvalidDataException.class);
        assertThatThrownBy(() -> AssistantEventStream.map(odd, OK, new AssistantStreamMapper(null)))
                .isInstanceOf(OpenAIInvalidDataException.class);
        assertThat(AssistantEventStream.runJson("{\"error\":{\"message\":\"x\"}}")).isNull();
        assertThat(AssistantEventStream.runJson("{\"id\":")).isNull();
        assertThat(AssistantEventStream.direct("thread.run.step.created", "{\"error\":null}")).isNull();
        assertThat(AssistantEventStream.direct("thread.message.created", "{\"id\":")).isNull();
        assertThat(AssistantEventStream.direct("thread.something_new", "{}")).isNull();
        assertThat(AssistantEventStream.direct(null, RICH_RUN)).isNull();
        assertThat(AssistantEventStream.direct("error", "{\"message\":\"x\"}")).isNull();
    }

    private static List<SseEvent> fixture(String name) throws IOException {
        try (InputStream in = AssistantEventBindingTest.class.getResourceAsStream("/fixtures/assistants/" + name)) {
            assertThat(in).as(name).isNotNull();
            var text = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (!line.startsWith("#")) {
                    text.append(line).append('\n');
                }
            }
            return new ArrayList<>(new SseDecoder().feed(text.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }
}
