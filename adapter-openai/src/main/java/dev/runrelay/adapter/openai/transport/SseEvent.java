package dev.runrelay.adapter.openai.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One server-sent event as openai-java reads it: its {@code event} field (null when absent) and its
 * {@code data} lines joined by newlines.
 *
 * <p>The usual event has one data line, and the decoder keeps it as the UTF-8 bytes it arrived in
 * ({@link #dataUtf8()}): a JSON parser reads those directly, so the text of a stream's events is never decoded
 * into a {@code String} unless someone asks for {@link #data()} (docs/adr/0038). Equal when name and data are.
 */
public final class SseEvent {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final String event;
    /** The data's UTF-8 bytes, or null until asked for when the event was made from text. Never modified. */
    private byte[] utf8;
    /** The data as text, or null until asked for when the event was made from bytes (immutable either way). */
    private String data;

    public SseEvent(String event, String data) {
        this.event = event;
        this.data = Objects.requireNonNull(data, "data");
    }

    private SseEvent(String event, byte[] utf8) {
        this.event = event;
        this.utf8 = utf8;
    }

    /** An event whose data is {@code utf8}, which the event keeps (the caller must not change it). */
    static SseEvent utf8(String event, byte[] utf8) {
        return new SseEvent(event, Objects.requireNonNull(utf8, "utf8"));
    }

    public String event() {
        return event;
    }

    /** The data lines joined by newlines. */
    public String data() {
        String text = data;
        if (text == null) {
            // Benign race: every thread that decodes gets an equal String.
            text = new String(utf8, StandardCharsets.UTF_8);
            data = text;
        }
        return text;
    }

    /** The data as UTF-8 bytes, for a parser to read; not to be modified. */
    public byte[] dataUtf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = data.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    /** The end-of-stream marker openai-java stops at ({@code data: [DONE]}). */
    public boolean isDone() {
        if (utf8 != null) {
            return utf8.length >= DONE.length && Arrays.equals(utf8, 0, DONE.length, DONE, 0, DONE.length);
        }
        return data.startsWith("[DONE]");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SseEvent that && Objects.equals(event, that.event) && data().equals(that.data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, data());
    }

    @Override
    public String toString() {
        return "SseEvent[event=" + event + ", data=" + data() + "]";
    }
}
