package dev.runrelay.bench;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Paces the deltas of every stream of one event loop with one 1 ms timer, instead of one timer per stream:
 * a timer per stream wakes the loop (and re-arms its timerfd) for every single delta, which made the fake
 * upstream cost as much CPU per event as the app under test. A stream with interval I joins the slot
 * {@code now % I} of its interval's wheel and is served every I ms (±1 ms). Everything runs on the loop.
 */
final class PacedTicker {

    private static final Map<EventLoop, PacedTicker> TICKERS = new java.util.concurrent.ConcurrentHashMap<>();

    private final EventLoop loop;
    /** Per interval (ms), its wheel: slot i holds the streams served when {@code now % interval == i}. */
    private final Map<Integer, List<Paced>[]> wheels = new HashMap<>();
    private int active;
    private ScheduledFuture<?> timer;

    private PacedTicker(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * {@code count} items, the first at once, then one every {@code intervalMs}; item k is rendered by
     * {@code render} at the tick it is due (so a stamp in it is its generation time), and buffered if the
     * subscriber is not ready for it.
     */
    static Flux<String> paced(EventLoop loop, int count, int intervalMs, LongFunction<String> render) {
        PacedTicker ticker = TICKERS.computeIfAbsent(loop, PacedTicker::new);
        return Flux.create(sink -> {
            Paced paced = new Paced(sink, count, render);
            sink.onDispose(() -> paced.done = true);
            loop.execute(() -> ticker.add(paced, intervalMs));
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private static final class Paced {
        final FluxSink<String> sink;
        final int count;
        final LongFunction<String> render;
        int next;
        volatile boolean done;

        Paced(FluxSink<String> sink, int count, LongFunction<String> render) {
            this.sink = sink;
            this.count = count;
            this.render = render;
        }

        /** Emits the next item; true when the stream is finished (all emitted, or cancelled). */
        boolean emit() {
            if (done) {
                return true;
            }
            sink.next(render.apply(next++));
            if (next >= count) {
                done = true;
                sink.complete();
            }
            return done;
        }
    }

    @SuppressWarnings("unchecked")
    private void add(Paced paced, int intervalMs) {
        if (paced.emit()) {
            return;
        }
        List<Paced>[] wheel = wheels.computeIfAbsent(intervalMs, i -> {
            List<Paced>[] slots = new List[i];
            for (int s = 0; s < i; s++) {
                slots[s] = new ArrayList<>();
            }
            return slots;
        });
        wheel[(int) (nowMs() % intervalMs)].add(paced);
        if (active++ == 0) {
            timer = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.MILLISECONDS);
        }
    }

    private long lastTick = -1;

    private void tick() {
        long now = nowMs();
        // Serve every slot whose time came since the last tick, so a late tick skips no stream.
        long from = lastTick < 0 ? now : Math.max(lastTick + 1, now - 50);
        for (long t = from; t <= now; t++) {
            for (Map.Entry<Integer, List<Paced>[]> wheel : wheels.entrySet()) {
                List<Paced> slot = wheel.getValue()[(int) (t % wheel.getKey())];
                if (!slot.isEmpty()) {
                    int before = slot.size();
                    slot.removeIf(Paced::emit);
                    active -= before - slot.size();
                }
            }
        }
        lastTick = now;
        if (active == 0 && timer != null) {
            timer.cancel(false);
            timer = null;
            lastTick = -1;
        }
    }

    private static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }
}
