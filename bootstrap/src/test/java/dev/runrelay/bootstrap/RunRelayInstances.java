package dev.runrelay.bootstrap;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.domain.port.RunEventLogPort;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Whole RunRelay instances in one JVM for the multi-instance tests: each its own application context,
 * server on a free loopback port, event loops, provider client and store connection, so closing one
 * leaves the others running.
 */
public final class RunRelayInstances {

    private RunRelayInstances() {}

    /** Starts an instance with {@code arguments} on top of a free port, quiet logs and no banner. */
    public static ConfigurableApplicationContext start(String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--management.server.port=0",
                "--management.server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN"));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(RunRelayApplication.class)
                .web(WebApplicationType.REACTIVE)
                // Own event loops per instance: OwnEventLoopsPerContext (META-INF/spring.factories of the tests).
                // Arguments, not default properties: they must win over application.yml (server.port: 8080).
                .run(all.toArray(String[]::new));
    }

    /** The arguments that put an instance on Redis at {@code host:port}, its keys under {@code prefix}. */
    public static String[] redisStore(String host, int port, String prefix) {
        return new String[] {
            "--runrelay.store=redis",
            "--spring.data.redis.host=" + host,
            "--spring.data.redis.port=" + port,
            "--runrelay.redis-store.key-prefix=" + prefix
        };
    }

    /** {@code first} followed by {@code more}. */
    public static String[] with(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    /** A client of the instance's {@code /ws/runs}, with {@code query} (e.g. an access token) if not empty. */
    public static RunsWebSocketTestClient connect(ConfigurableApplicationContext instance, String query) {
        String port = instance.getEnvironment().getProperty("local.server.port");
        return RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"
                + (query == null || query.isEmpty() ? "" : "?" + query)));
    }

    /** Waits until the run's log, as {@code instance} reads it, holds frame {@code seq}. */
    public static void awaitLogged(ConfigurableApplicationContext instance, String runId, long seq, Duration timeout) {
        RunEventLogPort eventLog = instance.getBean(RunEventLogPort.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<RunEventLogPort.Entry> entries = eventLog.snapshot(runId).toCompletableFuture().join();
            if (!entries.isEmpty() && entries.getLast().seq() >= seq) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("frame " + seq + " of run " + runId + " was not logged within " + timeout);
    }
}
