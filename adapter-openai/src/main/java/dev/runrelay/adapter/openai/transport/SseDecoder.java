package dev.runrelay.adapter.openai.transport;

import com.openai.errors.OpenAIInvalidDataException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an SSE body, fed chunk by chunk as the bytes arrive, into events, following the rules
 * openai-java's own decoder follows (WHATWG event-stream: lines end in LF, CRLF or CR; {@code data}
 * lines of one block joined by LF; {@code event} names the block; comments and other fields are
 * ignored; a blank line dispatches a block that had a data field).
 *
 * <p>Bounded: a block larger than {@code maxEventBytes} fails the stream with
 * {@link OpenAIInvalidDataException} instead of growing the heap (a {@code response.completed} event
 * carries the whole response, so the bound is generous, not tight). One instance per stream, fed from
 * one thread at a time (the connection's event loop).
 */
public final class SseDecoder {

    /** Default bound of one event: far above any real event (a completed response with long output). */
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final int maxEventBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder(256);
    private String event;
    private boolean hasData;
    private boolean afterCr;
    private long blockBytes;

    public SseDecoder() {
        this(DEFAULT_MAX_EVENT_BYTES);
    }

    public SseDecoder(int maxEventBytes) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
        this.maxEventBytes = maxEventBytes;
    }

    /** Feeds the next bytes of the body; returns the events they complete, in order (often none or one). */
    public List<SseEvent> feed(byte[] chunk) {
        List<SseEvent> events = null;
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            if (b != '\n' && b != '\r') {
                continue;
            }
            if (b == '\n' && afterCr && i == start && line.size() == 0) {
                // The LF of a CRLF whose CR ended the previous chunk's (or this chunk's) line.
                afterCr = false;
                start = i + 1;
                continue;
            }
            append(chunk, start, i - start);
            SseEvent completed = endLine();
            if (completed != null) {
                if (events == null) {
                    events = new ArrayList<>(2);
                }
                events.add(completed);
            }
            afterCr = b == '\r';
            start = i + 1;
        }
        if (start < chunk.length) {
            afterCr = false;
            append(chunk, start, chunk.length - start);
        }
        return events == null ? List.of() : events;
    }

    private void append(byte[] chunk, int offset, int length) {
        if (length == 0) {
            return;
        }
        blockBytes += length;
        if (blockBytes > maxEventBytes) {
            throw new OpenAIInvalidDataException("A server-sent event exceeds " + maxEventBytes + " bytes");
        }
        line.write(chunk, offset, length);
    }

    private SseEvent endLine() {
        if (line.size() == 0) {
            return dispatch();
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.charAt(0) == ':') {
            return null;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        int valueStart = colon < 0 ? text.length() : colon + 1;
        if (valueStart < text.length() && text.charAt(valueStart) == ' ') {
            valueStart++;
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(text, valueStart, text.length());
                hasData = true;
            }
            case "event" -> event = text.substring(valueStart);
            default -> { } // id, retry and unknown fields: openai-java does not use them either
        }
        return null;
    }

    private SseEvent dispatch() {
        blockBytes = 0;
        if (!hasData) {
            event = null; // a block without data dispatches nothing, and forgets its event name
            return null;
        }
        SseEvent completed = new SseEvent(event, data.toString());
        data.setLength(0);
        hasData = false;
        event = null;
        return completed;
    }
}
