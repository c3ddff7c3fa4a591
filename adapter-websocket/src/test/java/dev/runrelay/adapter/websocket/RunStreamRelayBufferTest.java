package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.event.RunEvent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A stream's buffer toward a slow client is a bound, not an allocation: an open stream that holds nothing
 * costs the same memory whatever {@code outbound-buffer-size} is. (Reactor's {@code onBackpressureBuffer(n)}
 * allocates an array of n slots per subscriber up front: 8 KB per stream at the default 2,048, 64 MB of heap
 * at 8,000 streams; bench/README.md "Issue 12, third pass".)
 */
class RunStreamRelayBufferTest {

    private static final int STREAMS = 200;

    private final RunsErrorResolver errors = new RunsErrorResolver();

    @Test
    void openStreams_allocateTheSameWhateverTheirBufferBound() {
        openStreams(16); // warm up: class loading and the first allocations of Reactor's operators
        long small = openStreams(16);
        long large = openStreams(65_536);

        // With an array of the bound per stream the large bound costs 256 KB more per stream (51 MB here).
        assertThat((large - small) / STREAMS)
                .as("bytes more per open stream with a 65,536-frame bound than with 16 (%d vs %d in all)", large, small)
                .isLessThan(1_024);
    }

    /** Bytes this thread allocates to open {@link #STREAMS} streams that wait for their first event. */
    private long openStreams(int bufferSize) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Disposable> open = new ArrayList<>(STREAMS);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < STREAMS; i++) {
            var relay = new RunStreamRelay("r" + i, "thread_1", "run_1");
            open.add(relay.frames(Flux.<RunEvent>never(), bufferSize, errors::resolve).subscribe());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        open.forEach(Disposable::dispose);
        return allocated;
    }
}
