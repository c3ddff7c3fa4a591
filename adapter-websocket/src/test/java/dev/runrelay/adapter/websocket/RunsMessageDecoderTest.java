package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunsMessageDecoderTest {

    private final RunsMessageDecoder decoder = new RunsMessageDecoder(new FrameCodec().mapper());

    @Test
    void runWithEveryOption_mapsIntoTheCommand() {
        var request = (ClientRequest.StartRun) decode("""
                {"type":"run","requestId":"r","assistantId":"asst_1","threadId":"thread_1","input":"Hi",
                 "model":"gpt-4o","instructions":"Be brief","additionalInstructions":"Use metric units",
                 "metadata":{"a":"b"},"temperature":0.2,"topP":0.9,"maxPromptTokens":1000,"maxCompletionTokens":500,
                 "truncationStrategy":{"type":"auto"},"toolChoice":{"type":"function","name":"get_weather"},
                 "parallelToolCalls":false,"responseFormat":"json_object","unknownField":1,
                 "tools":[{"type":"code_interpreter"},{"type":"file_search","maxNumResults":5},
                          {"type":"function","name":"get_weather","parameters":{"type":"object"},"strict":true}]}""");

        var options = request.command().options();
        assertThat(options.additionalInstructions()).isEqualTo("Use metric units");
        assertThat(options.settings().topP()).isEqualTo(0.9);
        assertThat(options.settings().maxCompletionTokens()).isEqualTo(500);
        assertThat(options.settings().toolChoice()).isEqualTo(ToolChoice.function("get_weather"));
        assertThat(options.settings().responseFormat()).isEqualTo("json_object");
        assertThat(options.settings().parallelToolCalls()).isFalse();
        assertThat(options.tools()).containsExactly(new Tool.CodeInterpreter(), new Tool.FileSearch(5),
                new Tool.Function("get_weather", null, "{\"type\":\"object\"}", true));
    }

    @Test
    void runWithoutThread_isThreadAndRun_andThreadMetadataOnlyThere() {
        var request = (ClientRequest.StartThreadAndRun) decode(
                "{\"type\":\"run\",\"requestId\":\"r\",\"assistantId\":\"a\",\"threadMetadata\":{\"k\":\"v\"}}");

        assertThat(request.command().threadMetadata()).containsEntry("k", "v");
        assertThat(request.command().messages()).isEmpty();
        assertThatThrownBy(() -> decode(
                "{\"type\":\"run\",\"requestId\":\"r\",\"assistantId\":\"a\",\"threadId\":\"t\",\"threadMetadata\":{}}"))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.field()).isEqualTo("threadMetadata"));
    }

    @Test
    void anyBytes_decodeOrFailWithAProtocolException_only() {
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            if (random.nextBoolean() && junk.length > 2) {
                junk[0] = '{';
                junk[junk.length - 1] = '}';
            }
            try {
                decoder.decode(junk);
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isIn("invalid_json", "invalid_request", "unknown_type");
            }
        }
    }

    private ClientRequest decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
