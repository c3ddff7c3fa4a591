package dev.runrelay.adapter.openai.transport;

import com.openai.errors.OpenAIInvalidDataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

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

    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

    private final int maxEventBytes;
    /** The bytes of the line being read; a line is decoded once, value only (':' never occurs inside a UTF-8 sequence). */
    private byte[] line = new byte[256];
    private int lineLength;
    /** The block's first data line's bytes; the usual block has only that one, so they are the event's data as they are. */
    private byte[] firstData;
    /** The block's data lines joined, once it has a second one. */
    private final StringBuilder moreData = new StringBuilder();
    private boolean multiline;
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
        List<SseEvent> events = new ArrayList<>(2);
        feed(chunk, events::add);
        return events.isEmpty() ? List.of() : events;
    }

    /**
     * Feeds the next bytes of the body and hands each event they complete to {@code each}, in order, as soon
     * as its block ends: the transport's way, with no list (nor queue) per chunk.
     */
    public void feed(byte[] chunk, Consumer<SseEvent> each) {
        feed(chunk, 0, chunk.length, each);
    }

    /**
     * Feeds {@code length} bytes of {@code chunk} from {@code offset} (the transport's reusable read buffer; nothing
     * of it is kept after the call) and hands each event they complete to {@code each}, in order.
     */
    public void feed(byte[] chunk, int offset, int length, Consumer<SseEvent> each) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            byte b = chunk[i];
            if (b != '\n' && b != '\r') {
                continue;
            }
            if (b == '\n' && afterCr && i == start && lineLength == 0) {
                // The LF of a CRLF whose CR ended the previous chunk's (or this chunk's) line.
                afterCr = false;
                start = i + 1;
                continue;
            }
            append(chunk, start, i - start);
            SseEvent completed = endLine();
            if (completed != null) {
                each.accept(completed);
            }
            afterCr = b == '\r';
            start = i + 1;
        }
        if (start < end) {
            afterCr = false;
            append(chunk, start, end - start);
        }
    }

    private void append(byte[] chunk, int offset, int length) {
        if (length == 0) {
            return;
        }
        blockBytes += length;
        if (blockBytes > maxEventBytes) {
            throw new OpenAIInvalidDataException("A server-sent event exceeds " + maxEventBytes + " bytes");
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + length, line.length * 2));
        }
        System.arraycopy(chunk, offset, line, lineLength, length);
        lineLength += length;
    }

    private SseEvent endLine() {
        int length = lineLength;
        if (length == 0) {
            return dispatch();
        }
        lineLength = 0;
        if (line[0] == ':') {
            return null;
        }
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        int valueStart = colon < length ? colon + 1 : length;
        if (valueStart < length && line[valueStart] == ' ') {
            valueStart++;
        }
        if (isField(DATA, colon)) {
            if (!hasData) {
                // Kept as bytes: the parser reads them as they are (SseEvent).
                firstData = Arrays.copyOfRange(line, valueStart, length);
                hasData = true;
            } else {
                if (!multiline) {
                    moreData.append(new String(firstData, StandardCharsets.UTF_8));
                    multiline = true;
                }
                moreData.append('\n').append(new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8));
            }
        } else if (isField(EVENT, colon)) {
            event = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
        }
        // id, retry and unknown fields: openai-java does not use them either
        return null;
    }

    /** Whether the line's field name (its bytes before {@code nameEnd}) is {@code name}. */
    private boolean isField(byte[] name, int nameEnd) {
        return nameEnd == name.length && Arrays.equals(line, 0, nameEnd, name, 0, nameEnd);
    }

    private SseEvent dispatch() {
        blockBytes = 0;
        if (!hasData) {
            event = null; // a block without data dispatches nothing, and forgets its event name
            return null;
        }
        SseEvent completed = multiline ? new SseEvent(event, moreData.toString()) : SseEvent.utf8(event, firstData);
        moreData.setLength(0);
        multiline = false;
        firstData = null;
        hasData = false;
        event = null;
        return completed;
    }
}
