package dev.runrelay.adapter.websocket;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the WebSocket endpoint, bound under {@code runrelay.websocket}.
 *
 * @param path the endpoint's path
 * @param maxStreamsPerConnection concurrent streamed runs one socket may have; the next gets {@code too_many_streams}
 * @param maxFrameSize largest client frame the protocol accepts; a larger one gets {@code frame_too_large}
 *     and the connection stays usable
 * @param transportMaxFrameSize largest frame the transport reads at all; beyond it the socket is closed with 1009
 * @param allowedOrigins {@code Origin} patterns allowed to connect (Spring's origin patterns, e.g.
 *     {@code https://*.example.com}); the server's own origin is always allowed, and a handshake
 *     without {@code Origin} (not a browser) too
 * @param token the shared secret of {@code runrelay.auth.mode=token} ({@code access_token} query parameter or
 *     {@code Authorization: Bearer}); falls back to {@code RUNRELAY_WS_TOKEN}. When the mode is unset, a token
 *     makes it {@code token} (see {@link RunsAuthProperties})
 * @param idleTimeout a socket from which nothing (not even a pong) arrived for this long is closed
 * @param pingInterval how often the server pings every socket
 * @param cancelRunsOnDisconnect whether a run streaming to a socket that closes is also cancelled at the provider
 * @param outboundBufferSize frames one stream may have waiting for a slow client before it is stopped
 *     with {@code slow_consumer}: 2048 holds a whole 2,000-delta burst (and ~40 s of a 50 tokens/s run)
 *     at a worst case of about 600 KB per stalled stream
 * @param shutdownGracePeriod how long shutdown waits for running streams before closing their sockets
 */
@ConfigurationProperties("runrelay.websocket")
public record RunsWebSocketProperties(
        @DefaultValue("/ws/runs") String path,
        @DefaultValue("4") int maxStreamsPerConnection,
        @DefaultValue("64KB") DataSize maxFrameSize,
        @DefaultValue("1MB") DataSize transportMaxFrameSize,
        List<String> allowedOrigins,
        String token,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("20s") Duration pingInterval,
        @DefaultValue("true") boolean cancelRunsOnDisconnect,
        @DefaultValue("2048") int outboundBufferSize,
        @DefaultValue("10s") Duration shutdownGracePeriod) {

    /** Browsers on this machine, whatever their port. */
    public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of(
            "http://localhost:[*]", "https://localhost:[*]", "http://127.0.0.1:[*]", "https://127.0.0.1:[*]");

    public RunsWebSocketProperties {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("runrelay.websocket.path must start with '/'");
        }
        if (maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException("runrelay.websocket.max-streams-per-connection must be at least 1");
        }
        if (outboundBufferSize < 1) {
            throw new IllegalArgumentException("runrelay.websocket.outbound-buffer-size must be at least 1");
        }
        if (transportMaxFrameSize.compareTo(maxFrameSize) < 0) {
            throw new IllegalArgumentException(
                    "runrelay.websocket.transport-max-frame-size must not be below max-frame-size");
        }
        allowedOrigins = allowedOrigins == null || allowedOrigins.isEmpty()
                ? DEFAULT_ALLOWED_ORIGINS
                : List.copyOf(allowedOrigins);
        token = token == null || token.isBlank() ? null : token;
    }

    /** The defaults, for tests and for wiring without Spring Boot's binder. */
    public static RunsWebSocketProperties defaults() {
        return new RunsWebSocketProperties("/ws/runs", 4, DataSize.ofKilobytes(64), DataSize.ofMegabytes(1), null,
                null, Duration.ofSeconds(60), Duration.ofSeconds(20), true, 2048, Duration.ofSeconds(10));
    }
}
