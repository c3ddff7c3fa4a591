package dev.runrelay.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * One streamed run as the client sees it, checked frame by frame: {@code seq} 1, 2, 3, … with no gap, chunk
 * {@code k} carrying index {@code k} (so nothing is lost, duplicated or reordered), {@code end} last, and the
 * delivered text equal to the text the upstream sent (the {@code message_done} text, when the server sends one,
 * must equal the concatenated chunks; each chunk must be exactly the upstream's {@code "<micros>|<k> "}).
 *
 * <p>Frames of one WebSocket connection arrive on one event-loop thread, so a probe needs no locking; the
 * histograms it records into are shared and synchronized.
 */
final class StreamProbe {

    private static final int MAX_PROBLEMS = 5;

    final String requestId;
    private final int expectedDeltas;
    private final Histogram latencyMicros;
    private final Histogram firstChunkMicros;

    volatile long sentAtMicros;
    private long lastSeq;
    private long nextDelta;
    private final StringBuilder text;
    private boolean firstChunkSeen;
    long frames;
    long chunks;
    private String finalStatus;
    private String errorCode;
    private boolean messageDoneMatched;
    private boolean messageDoneSeen;
    volatile boolean ended;
    long seqViolations;
    long lostDeltas;
    long duplicatedOrReordered;
    private final List<String> problems = new ArrayList<>();

    StreamProbe(String requestId, int expectedDeltas, Histogram latencyMicros, Histogram firstChunkMicros) {
        this.requestId = requestId;
        this.expectedDeltas = expectedDeltas;
        this.latencyMicros = latencyMicros;
        this.firstChunkMicros = firstChunkMicros;
        this.text = new StringBuilder(expectedDeltas * 22);
    }

    /** The fields of a server frame the checks need; read with a streaming parser (cheap: no tree). */
    record Frame(String type, String requestId, long seq, String message, String text, String status, String code) {

        static Frame parse(String json, ObjectMapper mapper) {
            String type = "";
            String requestId = "";
            long seq = -1;
            String message = null;
            String text = null;
            String status = null;
            String code = null;
            try (JsonParser parser = mapper.createParser(json)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                JsonToken token;
                while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        parser.skipChildren();
                        continue;
                    }
                    switch (name) {
                        case "type" -> type = parser.getString();
                        case "requestId" -> requestId = parser.getString();
                        case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                        case "message" -> message = parser.getString();
                        case "text" -> text = parser.getString();
                        case "status" -> status = parser.getString();
                        case "code" -> code = parser.getString();
                        default -> {
                            // other fields are not checked
                        }
                    }
                }
                if (token != JsonToken.END_OBJECT) {
                    throw new IllegalArgumentException("unexpected " + token);
                }
            }
            return new Frame(type, requestId, seq, message, text, status, code);
        }
    }

    void onFrame(String json, long receivedAtMicros, ObjectMapper mapper) {
        frames++;
        Frame frame;
        try {
            frame = Frame.parse(json, mapper);
        } catch (RuntimeException e) {
            problem("unparseable frame: " + abbreviate(json));
            return;
        }
        if (ended) {
            problem("frame after end: " + abbreviate(json));
        }
        if (!requestId.equals(frame.requestId())) {
            problem("frame for another requestId: " + abbreviate(json));
        }
        if (frame.seq() < 0) {
            problem("frame without seq: " + abbreviate(json));
        } else if (frame.seq() != lastSeq + 1) {
            seqViolations++;
            problem("seq " + frame.seq() + " after " + lastSeq);
            lastSeq = Math.max(lastSeq, frame.seq());
        } else {
            lastSeq = frame.seq();
        }
        switch (frame.type()) {
            case "chunk" -> onChunk(frame.message() == null ? "" : frame.message(), receivedAtMicros);
            case "message_done" -> onMessageDone(frame.text() != null ? frame.text() : frame.message());
            case "error" -> {
                errorCode = frame.code() == null ? "?" : frame.code();
                problem("error " + errorCode + ": " + frame.message());
            }
            case "end" -> {
                ended = true;
                if (nextDelta < expectedDeltas) {
                    lostDeltas += expectedDeltas - nextDelta;
                    problem("end after " + nextDelta + "/" + expectedDeltas + " deltas");
                }
                finalStatus = frame.status() != null ? frame.status() : "?";
            }
            default -> {
                // start, status, …: only seq matters
            }
        }
    }

    private void onChunk(String delta, long receivedAtMicros) {
        chunks++;
        int bar = delta.indexOf('|');
        int space = delta.lastIndexOf(' ');
        if (bar <= 0 || space != delta.length() - 1 || space < bar) {
            problem("chunk not from the bench upstream: " + abbreviate(delta));
            return;
        }
        long emittedAt = Long.parseLong(delta, 0, bar, 10);
        long index = Long.parseLong(delta, bar + 1, space, 10);
        latencyMicros.recordValue(Math.max(0, receivedAtMicros - emittedAt));
        if (!firstChunkSeen) {
            firstChunkSeen = true;
            firstChunkMicros.recordValue(Math.max(0, receivedAtMicros - sentAtMicros));
        }
        if (index > nextDelta) {
            lostDeltas += index - nextDelta;
        } else if (index < nextDelta) {
            duplicatedOrReordered++;
        }
        if (index != nextDelta) {
            problem(index > nextDelta ? "lost deltas " + nextDelta + ".." + (index - 1)
                    : "delta " + index + " duplicated or reordered (expected " + nextDelta + ")");
        }
        nextDelta = Math.max(nextDelta, index + 1);
        text.append(delta);
    }

    private void onMessageDone(String fullText) {
        messageDoneSeen = true;
        if (fullText == null) {
            return; // no full text in this frame shape: the chunk checks still hold
        }
        messageDoneMatched = fullText.contentEquals(text);
        if (!messageDoneMatched) {
            problem("message_done text differs from the chunks delivered (" + fullText.length() + " vs "
                    + text.length() + " chars)");
        }
    }

    void timedOut() {
        if (!ended) {
            lostDeltas += expectedDeltas - nextDelta;
            problem("no end frame before the scenario timeout (" + chunks + "/" + expectedDeltas + " chunks)");
        }
    }

    void connectionFailed(Throwable error) {
        problem("connection failed: " + error);
    }

    void closedBeforeEnd() {
        if (!ended) {
            lostDeltas += expectedDeltas - nextDelta;
            problem("socket closed before end (" + chunks + "/" + expectedDeltas + " chunks)");
        }
    }

    boolean completed() {
        return ended && "completed".equals(finalStatus) && chunks == expectedDeltas && nextDelta == expectedDeltas
                && problems.isEmpty();
    }

    boolean messageDoneSeen() {
        return messageDoneSeen;
    }

    boolean messageDoneMatched() {
        return messageDoneMatched;
    }

    String finalStatus() {
        return finalStatus;
    }

    String errorCode() {
        return errorCode;
    }

    List<String> problems() {
        return problems;
    }

    private void problem(String description) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(description);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }
}
