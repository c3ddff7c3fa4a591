package dev.runrelay.adapter.websocket;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Closes every socket with 1001 on shutdown, after its streams end or the grace period passes. A stream
 * still running when the grace period is over is cut: the protocol's rule holds (error
 * {@code shutting_down}, then {@code end}, then the close). Its phase is above the web server's
 * graceful-shutdown phase, so the sockets are closed before the server waits for open connections.
 */
final class RunsWebSocketShutdown implements SmartLifecycle {

    /** How long cut streams get to hand their last frames to the transport before the sockets are closed anyway. */
    static final Duration CUT_TIMEOUT = Duration.ofSeconds(1);

    /**
     * The events of one stream until {@code cut} completes; then {@code beforeCut} runs (the provider's run is
     * cancelled like on a disconnect) and the stream fails with {@code shutting_down}, which the relay turns
     * into {@code error} and {@code end}.
     */
    static <T> Flux<T> cutOnShutdown(Flux<T> events, Mono<Void> cut, Runnable beforeCut) {
        var wasCut = new AtomicBoolean();
        return events
                .takeUntilOther(cut.doOnSuccess(ignored -> wasCut.set(true)))
                .concatWith(Mono.defer(() -> {
                    if (!wasCut.get()) {
                        return Mono.empty();
                    }
                    beforeCut.run();
                    return Mono.error(new ProtocolException(ProtocolException.SHUTTING_DOWN,
                            "The server is shutting down; the stream was stopped. Start the run again on a new "
                                    + "connection.", true, null, null));
                }));
    }

    private final RunsWebSocketHandler handler;
    private final Duration gracePeriod;
    private volatile boolean running;

    RunsWebSocketShutdown(RunsWebSocketHandler handler, Duration gracePeriod) {
        this.handler = handler;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        handler.shutdown(gracePeriod).block(gracePeriod.plus(CUT_TIMEOUT).plusSeconds(2));
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        handler.shutdown(gracePeriod).doFinally(signal -> {
            running = false;
            callback.run();
        }).subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
