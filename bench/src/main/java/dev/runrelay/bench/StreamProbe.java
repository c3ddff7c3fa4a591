package dev.runrelay.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
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

    void onFrame(String json, long receivedAtMicros, ObjectMapper mapper) {
        frames++;
        JsonNode frame;
        try {
            frame = mapper.readTree(json);
        } catch (RuntimeException e) {
            problem("unparseable frame: " + abbreviate(json));
            return;
        }
        String type = frame.path("type").asString("");
        if (ended) {
            problem("frame after end: " + abbreviate(json));
        }
        if (!requestId.equals(frame.path("requestId").asString(""))) {
            problem("frame for another requestId: " + abbreviate(json));
        }
        JsonNode seqNode = frame.get("seq");
        if (seqNode == null) {
            problem("frame without seq: " + abbreviate(json));
        } else if (seqNode.asLong() != lastSeq + 1) {
            seqViolations++;
            problem("seq " + seqNode.asLong() + " after " + lastSeq);
            lastSeq = Math.max(lastSeq, seqNode.asLong());
        } else {
            lastSeq = seqNode.asLong();
        }
        switch (type) {
            case "chunk" -> onChunk(frame.path("message").asString(""), receivedAtMicros);
            case "message_done" -> onMessageDone(frame);
            case "error" -> {
                errorCode = frame.path("code").asString("?");
                problem("error " + errorCode + ": " + frame.path("message").asString(""));
            }
            case "end" -> {
                ended = true;
                if (nextDelta < expectedDeltas) {
                    lostDeltas += expectedDeltas - nextDelta;
                    problem("end after " + nextDelta + "/" + expectedDeltas + " deltas");
                }
                finalStatus = frame.path("status").asString(frame.path("message").asString("?"));
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

    private void onMessageDone(JsonNode frame) {
        messageDoneSeen = true;
        JsonNode candidate = frame.has("text") ? frame.get("text") : frame.get("message");
        if (candidate == null || !candidate.isString()) {
            return; // no full text in this frame shape: the chunk checks still hold
        }
        messageDoneMatched = candidate.asString().contentEquals(text);
        if (!messageDoneMatched) {
            problem("message_done text differs from the chunks delivered (" + candidate.asString().length()
                    + " vs " + text.length() + " chars)");
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
