package dev.runrelay.adapter.openai.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import reactor.core.publisher.Flux;

/**
 * The body of a streamed ({@code text/event-stream}) response as its server-sent events are decoded, on the
 * connection's event loop, as the bytes arrive. openai-java sees an {@link InputStream}; RunRelay's stream
 * adapters find this type behind it ({@link #of(com.openai.core.http.HttpResponse)}) and subscribe to
 * {@link #events()} instead, so nothing blocks a thread on the body and nothing queues it between the socket
 * read and the decoder (docs/adr/0033).
 *
 * <p>Reading it as an {@code InputStream} still works (it blocks the reading thread, as openai-java's
 * own stream handler expects, and gives the events back in the event-stream format, ending where {@code data: [DONE]} was),
 * but never do that on an event loop.
 */
public final class StreamingBody extends InputStream {

    private final Flux<SseEvent> events;
    private Iterator<SseEvent> blocking;
    private byte[] current = new byte[0];
    private int position;

    StreamingBody(Flux<SseEvent> events) {
        this.events = events;
    }

    /**
     * The body's events as they are decoded, up to (without) {@code data: [DONE]}, which ends the stream and
     * closes the connection; subscribe once. Cancelling closes the connection.
     */
    public Flux<SseEvent> events() {
        return events;
    }

    /** The streamed body behind {@code response}, or null if it is not one (e.g. a JSON error body). */
    public static StreamingBody of(com.openai.core.http.HttpResponse response) {
        return response.body() instanceof StreamingBody body ? body : null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position >= current.length) {
            if (blocking == null) {
                blocking = events.toIterable(1).iterator();
            }
            try {
                if (!blocking.hasNext()) {
                    return -1; // at [DONE] or the body's end: the same to openai-java's reader
                }
                current = encoded(blocking.next());
            } catch (RuntimeException failure) {
                throw failure.getCause() instanceof IOException io ? io : new IOException(failure);
            }
            position = 0;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, target, offset, n);
        position += n;
        return n;
    }

    /** One event in the event-stream format again: its name, its data lines, a blank line. */
    private static byte[] encoded(SseEvent event) {
        StringBuilder block = new StringBuilder(event.data().length() + 32);
        if (event.event() != null) {
            block.append("event: ").append(event.event()).append('\n');
        }
        for (String line : event.data().split("\n", -1)) {
            block.append("data: ").append(line).append('\n');
        }
        return block.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
