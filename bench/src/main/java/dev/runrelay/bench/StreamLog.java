package dev.runrelay.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/** What the fake upstream tells its log: streams started, completed and closed early, and odd requests. */
final class StreamLog {

    private static final int MAX_NOTES = 50;

    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong closedEarly = new AtomicLong();
    private final AtomicLong notes = new AtomicLong();

    StreamLog() {
        long[] last = {-1};
        Flux.interval(Duration.ofSeconds(10)).subscribe(tick -> {
            long sum = started.get() + completed.get() + closedEarly.get();
            if (sum != last[0]) {
                last[0] = sum;
                System.out.printf("%s streams started %d, completed %d, closed early by the client %d%n",
                        Instant.now(), started.get(), completed.get(), closedEarly.get());
            }
        });
    }

    /** Counts the stream's subscription, completion and early cancellation (with how far it got). */
    Flux<String> watch(String id, Flux<String> stream) {
        AtomicLong written = new AtomicLong();
        return stream.doOnSubscribe(s -> started.incrementAndGet())
                .doOnNext(s -> written.incrementAndGet())
                .doOnComplete(completed::incrementAndGet)
                .doOnCancel(() -> {
                    closedEarly.incrementAndGet();
                    note("stream " + id + " closed by the client after " + written.get() + " writes");
                });
    }

    /** Logs a note, at most {@value #MAX_NOTES} of them. */
    void note(String note) {
        if (notes.incrementAndGet() <= MAX_NOTES) {
            System.out.println(Instant.now() + " " + note);
        }
    }
}
