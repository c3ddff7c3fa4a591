package dev.runrelay.adapter.openai.transport;

/**
 * One server-sent event as openai-java reads it: its {@code event} field (null when absent) and its
 * {@code data} lines joined by newlines.
 */
public record SseEvent(String event, String data) {

    /** The end-of-stream marker openai-java stops at ({@code data: [DONE]}). */
    public boolean isDone() {
        return data.startsWith("[DONE]");
    }
}
