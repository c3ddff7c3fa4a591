package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Every buffer a socket writes is released exactly once, also when its socket goes away mid-stream (ADR 0029):
 * clients that reset the connection, stop reading, or close it while frames are queued on the server. The
 * server's sockets allocate from a {@link ReleaseTrackingAllocator}, which records each release of a buffer
 * already freed; with the pooled allocator such a release hands one client's frame to another.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=20000",
            "runrelay.websocket.ping-interval=100ms",
            "runrelay.websocket.idle-timeout=300ms",
            "runrelay.fair-use.max-streams-per-principal=10000",
            "runrelay.fair-use.runs-per-period=1000000",
            "runrelay.resilience.bulkhead.max-concurrent-streams=10000"
        })
class SocketBufferReleaseTest {

    static final ReleaseTrackingAllocator TRACKER = new ReleaseTrackingAllocator();
    /** The server's side of each socket, by the client's port. */
    static final Map<Integer, Channel> ACCEPTED = new ConcurrentHashMap<>();
    static final int CONNECTIONS = 120;
    static final int STREAMS_PER_CONNECTION = 4;

    @TestConfiguration
    static class TrackedBuffers {
        /** After the app's own customizers; a small send buffer, so frames queue on the server. */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        NettyServerCustomizer trackedBuffers() {
            return server -> server.childOption(ChannelOption.ALLOCATOR, TRACKER)
                    .childOption(ChannelOption.SO_SNDBUF, 2048)
                    .doOnConnection(connection -> ACCEPTED.put(
                            ((InetSocketAddress) connection.channel().remoteAddress()).getPort(), connection.channel()));
        }
    }

    @LocalServerPort
    int port;

    @Test
    void socketsGoneMidStream_releaseEachBufferOnce() {
        HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
                .option(ChannelOption.SO_RCVBUF, 2048);
        AtomicInteger framesRead = new AtomicInteger();
        Flux.range(0, CONNECTIONS)
                .flatMap(i -> oneSocket(client, i, framesRead), 60)
                .then()
                .block(Duration.ofSeconds(90));
        // Let the server see the last closes and fail what was queued for them.
        Mono.delay(Duration.ofSeconds(3)).block();

        assertThat(framesRead.get()).as("frames the clients read").isPositive();
        assertThat(TRACKER.allocated.get()).as("buffers the server's sockets allocated").isPositive();
        assertThat(TRACKER.doubleReleases)
                .as("buffers released after they were freed:%s", ReleaseTrackingAllocator.describe(TRACKER.doubleReleases))
                .isEmpty();
    }

    /**
     * The server closes an idle socket from a timer thread, so its close frame waits in the socket's event loop
     * for its turn. When that loop is busy for longer than the close may take (2 s), the close stops waiting;
     * the close frame it handed to the socket must still be released once, by the socket (Reactor Netty's
     * {@code sendClose} releases it on cancel; ADR 0029). Netty logs a second release as "Failed to release".
     */
    @Test
    void idleSocketClosedWhileItsEventLoopIsBusy_releasesTheCloseFrameOnce() {
        var releases = new ListAppender<ILoggingEvent>();
        var releaseLog = (Logger) LoggerFactory.getLogger("io.netty.util.ReferenceCountUtil");
        releases.start();
        releaseLog.addAppender(releases);
        try {
            Connection client = HttpClient.create(ConnectionProvider.newConnection()).websocket()
                    .uri("ws://127.0.0.1:" + port + "/ws/runs")
                    .connect()
                    .block(Duration.ofSeconds(10));
            // The client stops reading: it answers no ping, so the server's idle check closes the socket.
            client.channel().config().setAutoRead(false);
            int clientPort = ((InetSocketAddress) client.channel().localAddress()).getPort();
            Channel server = ACCEPTED.get(clientPort);
            assertThat(server).as("the server's side of the socket").isNotNull();
            server.eventLoop().execute(() -> LockSupport.parkNanos(Duration.ofSeconds(3).toNanos()));

            Mono.delay(Duration.ofSeconds(5)).block();
            client.dispose();
        } finally {
            releaseLog.detachAppender(releases);
        }

        assertThat(releases.list).as("second releases Netty logged")
                .noneMatch(line -> line.getFormattedMessage().contains("Failed to release"));
    }

    /** One socket, four long streams, then gone in one of four ways after a few frames. */
    private Mono<Void> oneSocket(HttpClient client, int i, AtomicInteger framesRead) {
        int afterFrames = 1 + (i * 7) % 40;
        int way = i % 4;
        return client.websocket()
                .uri("ws://127.0.0.1:" + port + "/ws/runs")
                .handle((in, out) -> {
                    Flux<String> runs = Flux.range(0, STREAMS_PER_CONNECTION).map(n -> """
                            {"type":"run","requestId":"r%d-%d","assistantId":"asst_demo","input":"tell me a long story"}"""
                            .formatted(i, n));
                    Mono<Void> send = out.sendString(runs).then().then(Mono.never());
                    Mono<Void> read = in.receive().asString()
                            .doOnNext(frame -> framesRead.incrementAndGet())
                            .take(afterFrames)
                            .then(Mono.defer(() -> {
                                Connection[] connection = new Connection[1];
                                in.withConnection(c -> connection[0] = c);
                                return leave(connection[0], way);
                            }));
                    return Mono.firstWithSignal(send, read);
                })
                .then()
                .timeout(Duration.ofSeconds(20), Mono.empty())
                .onErrorResume(e -> Mono.empty());
    }

    private static Mono<Void> leave(Connection connection, int way) {
        var channel = connection.channel();
        return switch (way) {
            // Reset: the server's next write fails (ECONNRESET / EPIPE) with frames queued.
            case 0 -> Mono.fromRunnable(() -> {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            });
            // Stop reading: frames pile up on the server; the idle check closes it, then the client resets.
            case 1 -> Mono.fromRunnable(() -> channel.config().setAutoRead(false))
                    .then(Mono.delay(Duration.ofMillis(700)))
                    .then(Mono.fromRunnable(() -> {
                        channel.config().setOption(ChannelOption.SO_LINGER, 0);
                        channel.close();
                    }));
            // A plain TCP close without a close frame.
            case 2 -> Mono.fromRunnable(channel::close);
            // Stop reading, then a plain close while the server is still writing.
            default -> Mono.fromRunnable(() -> channel.config().setAutoRead(false))
                    .then(Mono.delay(Duration.ofMillis(150)))
                    .then(Mono.fromRunnable(channel::close));
        };
    }
}
