package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import dev.runrelay.adapter.openai.fake.OkHttpResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.SseException;
import com.openai.models.responses.ResponseStreamEvent;
import dev.runrelay.adapter.openai.transport.SseDecoder;
import dev.runrelay.adapter.openai.transport.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single-pass reading of Responses stream events agrees with openai-java's own. */
class ResponseEventStreamTest {

    private static final String DELTA = "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,"
            + "\"content_index\":1,\"delta\":\"Hel\\\"lo \\u00e9\",\"logprobs\":[],\"sequence_number\":7,\"obfuscation\":\"x\"}";

    private static final HttpResponse OK = OkHttpResponse.OK;

    @Test
    void textDelta_isReadInOnePass_withTheSameFieldsAsTheSdkReads() throws Exception {
        ResponseEvent fast = ResponseEventStream.parse(DELTA, OK);
        ResponseStreamEvent sdk = ObjectMappers.jsonMapper().readValue(DELTA, ResponseStreamEvent.class);

        assertThat(fast.isTextDelta()).isTrue();
        var b = sdk.asOutputTextDelta();
        assertThat(fast.itemId()).isEqualTo(b.itemId()).isEqualTo("msg_1");
        assertThat(fast.delta()).isEqualTo(b.delta()).isEqualTo("Hel\"lo é");
        assertThat(fast.sequenceNumber()).isEqualTo(b.sequenceNumber()).isEqualTo(7);
        assertThat(fast.contentIndex()).isEqualTo(b.contentIndex()).isEqualTo(1);
    }

    @Test
    void textDelta_theSinglePassAndTheBindingReadTheSame() {
        ResponseEvent fast = ResponseEventStream.parse(DELTA, OK);
        // logprobs that are not empty make the single pass hand the event to the binding.
        ResponseEvent bound = ResponseEventStream.parse(DELTA.replace("\"logprobs\":[]",
                "\"logprobs\":[{\"token\":\"Hel\",\"logprob\":-0.1,\"top_logprobs\":[]}]"), OK);
        assertThat(bound).isEqualTo(fast);
    }

    @Test
    void errorEvent_keepsItsCodeAndMessage() {
        ResponseEvent event = ResponseEventStream.parse(
                "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"Broke\",\"param\":null,\"sequence_number\":3}", OK);
        assertThat(event.isError()).isTrue();
        assertThat(event.code()).isEqualTo("server_error");
        assertThat(event.message()).isEqualTo("Broke");
        assertThat(event.sequenceNumber()).isEqualTo(3);
    }

    private static final String CREATED = "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{"
            + "\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1760000000,\"status\":\"in_progress\","
            + "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},\"model\":\"gpt-4.1-mini\","
            + "\"output\":[],\"parallel_tool_calls\":true,\"temperature\":1.0,\"tool_choice\":\"auto\",\"tools\":[],"
            + "\"top_p\":1.0,\"text\":{\"format\":{\"type\":\"text\"}}}}";

    @Test
    void structuralEvent_isBoundWithItsResponse_andANestedErrorMemberIsNoFailure() {
        ResponseEvent event = ResponseEventStream.parse(CREATED, OK);

        assertThat(event.type()).isEqualTo("response.created");
        assertThat(event.error()).as("the response's own error member is not the event's").isNull();
        assertThat(ResponseEventMapper.response(event).orElseThrow().id()).isEqualTo("resp_1");
    }

    @Test
    void topLevelErrorMember_evenNullAndLast_failsAsTheSdksSseException() {
        assertThatThrownBy(() -> ResponseEventStream.parse("{\"type\":\"x\",\"a\":{\"error\":1},\"error\":null}", OK))
                .isInstanceOf(SseException.class);
        assertThatThrownBy(() -> ResponseEventStream.parse(CREATED.substring(0, CREATED.length() - 1) + ",\"error\":null}", OK))
                .isInstanceOf(SseException.class);
    }

    @Test
    void topLevelErrorMember_failsAsTheSdksSseException() {
        assertThatThrownBy(() -> ResponseEventStream.parse(
                        "{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"code\":null,\"param\":null}}", OK))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(200);
                    assertThat(e.type()).contains("server_error");
                });
    }

    @Test
    void malformedData_failsAsInvalidData() {
        assertThatThrownBy(() -> ResponseEventStream.parse("{\"type\":\"response.output_text.delta\",", OK))
                .isInstanceOf(OpenAIInvalidDataException.class);
        assertThatThrownBy(() -> ResponseEventStream.parse("not json", OK))
                .isInstanceOf(OpenAIInvalidDataException.class);
    }

    @Test
    void sseDecoder_followsTheEventStreamRules() {
        var decoder = new SseDecoder();
        String body = ": keep-alive\n\nevent: x\ndata: a\ndata:b\nid: 1\n\nretry: 5\n\ndata\n\ndata: [DONE]\n\n";
        List<String> events = new ArrayList<>();
        // Fed in pieces that cut lines (and a CRLF) anywhere, as TCP delivers them.
        String crlf = body.replace("event: x\n", "event: x\r\n");
        for (int i = 0; i < crlf.length(); i += 3) {
            decoder.feed(crlf.substring(i, Math.min(crlf.length(), i + 3)).getBytes(StandardCharsets.UTF_8))
                    .forEach(event -> events.add(event.data()));
        }
        assertThat(events).containsExactly("a\nb", "", "[DONE]");
    }

    @Test
    void sseDecoder_decodesUtf8SplitAcrossChunks_andJoinsDataLines() {
        var decoder = new SseDecoder();
        byte[] body = "event: \u00e9v\ndata: {\"t\":\"\u00e9\u20ac\"}\ndata: \u20ac\r\n\r\ndata: x\n\n".getBytes(StandardCharsets.UTF_8);
        List<SseEvent> events = new ArrayList<>();
        for (byte b : body) {
            events.addAll(decoder.feed(new byte[] {b}));
        }
        assertThat(events).containsExactly(new SseEvent("\u00e9v", "{\"t\":\"\u00e9\u20ac\"}\n\u20ac"), new SseEvent(null, "x"));
    }

    @Test
    void sseDecoder_keepsTheEventName_andRefusesAnOversizedEvent() {
        var decoder = new SseDecoder(64);
        assertThat(decoder.feed("event: thread.run.created\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new SseEvent("thread.run.created", "{}"));
        assertThatThrownBy(() -> decoder.feed(("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OpenAIInvalidDataException.class)
                .hasMessageContaining("64 bytes");
    }
}
