package dev.runrelay.adapter.openai.transport;

import com.openai.core.http.Headers;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Serves a stream's upstream connection on the event loop of the socket that asked for it, so each event
 * is read from the provider and written to the client on one thread, without a hand-over per event.
 *
 * <p>The adapter names the loop it is subscribed on in a request header ({@link #pin}); the transport
 * takes the header out before the request leaves ({@link ReactorNettyHttpClient}) and opens or reuses a
 * connection of that loop. A header, because openai-java starts every request on another thread
 * ({@code thenComposeAsync}), so neither a thread local nor Reactor's context reaches the transport; only
 * the request does. A request made off an event loop carries no header and is served as before.
 */
public final class EventLoopAffinity {

    /** Names the event loop a request is to be served on; never sent upstream. */
    static final String HEADER = "X-RunRelay-Event-Loop";

    private static final Map<EventLoop, String> KEYS = new ConcurrentHashMap<>();
    private static final Map<String, EventLoop> LOOPS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_KEY = new AtomicInteger();

    private EventLoopAffinity() {}

    /**
     * {@code params} with the calling thread's event loop named in a header ({@code withHeader} adds one
     * to the SDK's params type), or {@code params} unchanged when the caller is not on an event loop.
     */
    public static <P> P pin(P params, BiFunction<P, String, P> withHeader) {
        String loop = current();
        return loop == null ? params : withHeader.apply(params, loop);
    }

    /** The header's name, for {@code putAdditionalHeader(name(), value)} in {@link #pin}'s function. */
    public static String name() {
        return HEADER;
    }

    /** The key of the calling thread's event loop (the header's value), or null off an event loop. */
    public static String current() {
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        if (!(executor instanceof EventLoop loop)) {
            return null;
        }
        return KEYS.computeIfAbsent(loop, newLoop -> {
            String key = Integer.toString(NEXT_KEY.incrementAndGet());
            LOOPS.put(key, newLoop);
            return key;
        });
    }

    /** The event loop a request's headers name, or null (no header, or a loop this JVM never named). */
    static EventLoop of(Headers headers) {
        List<String> values = headers.values(HEADER);
        return values.isEmpty() ? null : LOOPS.get(values.getFirst());
    }
}
