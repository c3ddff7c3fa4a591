package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.ServerFrame.ChunkFrame;
import dev.runrelay.adapter.websocket.ServerFrame.FunctionCallFrame;
import dev.runrelay.adapter.websocket.ServerFrame.StartFrame;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.RunEventLogPort.Entry;
import dev.runrelay.domain.run.RunStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Lining a provider's repeated events up with what the log delivered, by content (docs/adr/0025). */
class DeliveredFramesTest {

    private final FrameCodec codec = new FrameCodec();

    private DeliveredFrames delivered(ServerFrame... frames) {
        List<Entry> entries = new ArrayList<>();
        for (ServerFrame frame : frames) {
            entries.add(new Entry(entries.size() + 1, false, new String(codec.toBytes(frame), StandardCharsets.UTF_8)));
        }
        return DeliveredFrames.of(entries, codec.mapper());
    }

    private final DeliveredFrames halfOfAMessage = delivered(
            new StartFrame("r1", "thread_1", "run_1", 1, StartFrame.MESSAGE, "msg_1"),
            new ChunkFrame("r1", "thread_1", "run_1", 2, "Hello ", "msg_1"),
            new ChunkFrame("r1", "thread_1", "run_1", 3, "wor", "msg_1"),
            new FunctionCallFrame("r1", "thread_1", "run_1", 4, "call_1", "lookup", "{\"q\":"));

    @Test
    void readsTheIdsAndTheLastSeqBack() {
        assertThat(halfOfAMessage.requestId()).isEqualTo("r1");
        assertThat(halfOfAMessage.threadId()).isEqualTo("thread_1");
        assertThat(halfOfAMessage.runId()).isEqualTo("run_1");
        assertThat(halfOfAMessage.lastSeq()).isEqualTo(4);
    }

    /** A stream re-read from its start (a background response): the same deltas, the delivered ones dropped. */
    @Test
    void theSameDeltasAgain_onlyThoseAfterTheLogPass_andOneStraddlingItIsCut() {
        List<RunEvent> rest = halfOfAMessage.missing(Flux.just(
                new RunEvent.TextCreated("msg_1", 0),
                delta("Hello "),
                delta("world"),
                delta("!"),
                new RunEvent.FunctionArgumentsDelta("step_1", "call_1", "lookup", "{\"q\":\"x\"}"),
                new RunEvent.StreamEnded("thread_1", "run_1", RunStatus.COMPLETED, null))).collectList().block();

        assertThat(rest).containsExactly(
                delta("ld"),
                delta("!"),
                new RunEvent.FunctionArgumentsDelta("step_1", "call_1", "lookup", "\"x\"}"),
                new RunEvent.StreamEnded("thread_1", "run_1", RunStatus.COMPLETED, null));
    }

    /** A polled run tells each message whole: only its missing end, its completion, once. */
    @Test
    void aWholeMessage_givesOnlyItsMissingEnd_andItsCompletionOnce() {
        Message message = new Message("msg_1", "thread_1", "run_1", "Hello world!", List.of(), false);
        List<RunEvent> rest = halfOfAMessage.missing(Flux.just(
                new RunEvent.TextCreated("msg_1", 0),
                delta("Hello world!"),
                new RunEvent.MessageCompleted(message),
                new RunEvent.MessageCompleted(message))).collectList().block();

        assertThat(rest).containsExactly(delta("ld!"), new RunEvent.MessageCompleted(message));
    }

    @Test
    void aMessageTheLogNeverStarted_passesWhole() {
        List<RunEvent> rest = halfOfAMessage.missing(Flux.just(
                new RunEvent.TextCreated("msg_2", 0),
                new RunEvent.TextDelta("msg_2", 0, "New", List.of()))).collectList().block();

        assertThat(rest).containsExactly(
                new RunEvent.TextCreated("msg_2", 0), new RunEvent.TextDelta("msg_2", 0, "New", List.of()));
    }

    private static RunEvent.TextDelta delta(String text) {
        return new RunEvent.TextDelta("msg_1", 0, text, List.of());
    }
}
