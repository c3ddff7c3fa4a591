package dev.runrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class StreamProbeTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final String ID = "r1";

    private final Histogram latency = new Histogram(3);
    private final Histogram firstChunk = new Histogram(3);
    private final StreamProbe probe = new StreamProbe(ID, 3, latency, firstChunk);

    @Test
    void aWholeStreamInOrderCompletes() {
        feed(frames(List.of(0L, 1L, 2L), true));

        assertThat(probe.completed()).isTrue();
        assertThat(probe.problems()).isEmpty();
        assertThat(probe.messageDoneMatched()).isTrue();
        assertThat(latency.getTotalCount()).isEqualTo(3);
        assertThat(firstChunk.getTotalCount()).isEqualTo(1);
    }

    @Test
    void aMissingDeltaIsLost() {
        feed(frames(List.of(0L, 2L), false));

        assertThat(probe.completed()).isFalse();
        assertThat(probe.lostDeltas).isEqualTo(1);
    }

    @Test
    void aRepeatedDeltaIsDuplicated() {
        feed(frames(List.of(0L, 1L, 1L, 2L), false));

        assertThat(probe.completed()).isFalse();
        assertThat(probe.duplicatedOrReordered).isEqualTo(1);
    }

    @Test
    void aGapInSeqIsAViolation() {
        probe.onFrame(frame("status", 1, "\"status\":\"queued\""), Micros.now(), MAPPER);
        probe.onFrame(frame("status", 3, "\"status\":\"in_progress\""), Micros.now(), MAPPER);

        assertThat(probe.seqViolations).isEqualTo(1);
    }

    @Test
    void messageDoneTextMustEqualTheChunks() {
        List<String> frames = frames(List.of(0L, 1L, 2L), false);
        frames.add(frames.size() - 1, frame("message_done", frames.size(), "\"text\":\"something else\""));
        // renumber the end frame after the inserted message_done
        frames.set(frames.size() - 1, frame("end", frames.size(), "\"status\":\"completed\""));
        feed(frames);

        assertThat(probe.messageDoneMatched()).isFalse();
        assertThat(probe.completed()).isFalse();
    }

    @Test
    void anEndWithoutEveryDeltaCountsTheRestAsLost() {
        feed(frames(List.of(0L), false));

        assertThat(probe.lostDeltas).isEqualTo(2);
        assertThat(probe.completed()).isFalse();
    }

    private void feed(List<String> frames) {
        probe.sentAtMicros = Micros.now() - 1_000;
        frames.forEach(f -> probe.onFrame(f, Micros.now(), MAPPER));
    }

    /** status, start, the chunks for these delta indexes, optionally message_done, then end. */
    private static List<String> frames(List<Long> indexes, boolean messageDone) {
        List<String> frames = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        frames.add(frame("status", 1, "\"status\":\"in_progress\""));
        frames.add(frame("start", 2, "\"message\":\"Assistant started generating text.\""));
        for (long index : indexes) {
            String delta = (Micros.now() - 500) + "|" + index + " ";
            text.append(delta);
            frames.add(frame("chunk", frames.size() + 1, "\"message\":\"" + delta + "\""));
        }
        if (messageDone) {
            frames.add(frame("message_done", frames.size() + 1, "\"text\":\"" + text + "\",\"annotations\":[]"));
        }
        frames.add(frame("end", frames.size() + 1, "\"status\":\"completed\",\"usage\":{\"total_tokens\":3}"));
        return frames;
    }

    private static String frame(String type, int seq, String fields) {
        return "{\"type\":\"" + type + "\",\"requestId\":\"" + ID + "\",\"threadId\":\"t\",\"runId\":\"r\",\"seq\":"
                + seq + "," + fields + "}";
    }
}
