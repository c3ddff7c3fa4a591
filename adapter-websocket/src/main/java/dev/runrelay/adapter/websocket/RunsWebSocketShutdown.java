package dev.runrelay.adapter.websocket;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every socket with 1001 on shutdown, after its streams end or the grace period passes. Its phase
 * is above the web server's graceful-shutdown phase, so the sockets are closed before the server waits
 * for open connections.
 */
final class RunsWebSocketShutdown implements SmartLifecycle {

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
        handler.shutdown(gracePeriod).block(gracePeriod.plusSeconds(2));
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
