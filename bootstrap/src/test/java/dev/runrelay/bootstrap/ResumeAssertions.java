package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What "no gap, no duplicate" means for a stream read in two parts: before a drop, and resumed. */
final class ResumeAssertions {

    private ResumeAssertions() {}

    /** The frames of stream {@code requestId} up to and including its {@code chunks}-th chunk. */
    static List<JsonNode> framesUntilChunks(
            RunsWebSocketTestClient client, String requestId, int chunks, Duration timeout) {
        var frames = new ArrayList<JsonNode>();
        int seen = 0;
        while (seen < chunks) {
            JsonNode frame = client.awaitFrame(f -> requestId.equals(text(f, "requestId")) && f.has("seq"), timeout);
            frames.add(frame);
            if ("chunk".equals(text(frame, "type"))) {
                seen++;
            }
            assertThat(text(frame, "type")).as("the stream ended before %s chunks", chunks).isNotEqualTo("end");
        }
        return frames;
    }

    /** The resumed frames start right after the last one seen and go on without gap to one end. */
    static void assertContinues(List<JsonNode> before, List<JsonNode> after) {
        long next = before.getLast().path("seq").asLong() + 1;
        String requestId = text(after.getFirst(), "requestId");
        for (JsonNode frame : after) {
            assertThat(frame.path("seq").asLong()).as("seq of %s", frame).isEqualTo(next++);
            assertThat(text(frame, "requestId")).isEqualTo(requestId);
        }
        assertThat(text(after.getLast(), "type")).isEqualTo("end");
        assertThat(after.stream().filter(frame -> "end".equals(text(frame, "type"))).count()).isEqualTo(1);
    }

    /** Every delta exactly once: the chunks of both parts add up to the message_done text. */
    static void assertTextComplete(List<JsonNode> before, List<JsonNode> after) {
        var all = new ArrayList<>(before);
        all.addAll(after);
        String chunks = all.stream().filter(frame -> "chunk".equals(text(frame, "type")))
                .map(frame -> text(frame, "message")).reduce("", String::concat);
        String done = all.stream().filter(frame -> "message_done".equals(text(frame, "type")))
                .map(frame -> text(frame, "text")).reduce("", String::concat);
        assertThat(chunks).isNotEmpty().isEqualTo(done);
    }
}
