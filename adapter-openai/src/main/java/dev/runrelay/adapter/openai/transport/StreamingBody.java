package dev.runrelay.adapter.openai.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import reactor.core.publisher.Flux;

/**
 * The body of a streamed ({@code text/event-stream}) response as the chunks arrive on the
 * connection's event loop. openai-java sees an {@link InputStream}; RunRelay's stream adapters find
 * this type behind it ({@link #of(com.openai.core.http.HttpResponse)}) and subscribe to {@link #chunks()}
 * instead, so nothing blocks a thread on the body.
 *
 * <p>Reading it as an {@code InputStream} still works (it blocks the reading thread, as openai-java's
 * own stream handler expects), but never do that on an event loop.
 */
public final class StreamingBody extends InputStream {

    private final Flux<byte[]> chunks;
    private Iterator<byte[]> blocking;
    private byte[] current = new byte[0];
    private int position;

    StreamingBody(Flux<byte[]> chunks) {
        this.chunks = chunks;
    }

    /** The body's bytes as they arrive; subscribe once. Cancelling closes the connection. */
    public Flux<byte[]> chunks() {
        return chunks;
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
                blocking = chunks.toIterable(1).iterator();
            }
            try {
                if (!blocking.hasNext()) {
                    return -1;
                }
                current = blocking.next();
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
}
