package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.ServerFrame.ChunkFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunk frame's own writer gives exactly the bytes the mapper gives for the same frame. */
class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec();

    @Test
    void chunk_isWrittenAsTheMapperWritesIt() {
        List<String> texts = List.of("", "Hello", "plain text with spaces", "quote \" backslash \\ slash /",
                "tab\tnewline\nreturn\r control \u0001\u001f del \u007f", "\u00e9\u20ac caf\u00e9", "emoji \uD83D\uDE00 ok",
                "<script>&amp;</script>", "line separator \u2028 paragraph \u2029", "x".repeat(5_000));
        for (String text : texts) {
            assertSame(new ChunkFrame("req-1", "conv_1", "run_1", 42, text, "msg_1"));
        }
        assertSame(new ChunkFrame("req-1", null, null, 1, "first", "msg_1"));
        assertSame(new ChunkFrame(null, "conv_1", "run_1", Long.MAX_VALUE, null, null));
        assertSame(new ChunkFrame("r\u00e9q \"2\"", "conv_\u0002", "run_1", 0, "a", "msg \u20ac"));
    }

    private void assertSame(ChunkFrame frame) {
        byte[] ours = codec.toBytes(frame);
        byte[] mappers = codec.mapper().writeValueAsBytes(frame);
        assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(mappers, StandardCharsets.UTF_8));
        assertThat(ours).isEqualTo(mappers);
    }
}
