package dev.runrelay.adapter.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for tests: a Testcontainers container where a Docker engine runs, otherwise Debian's
 * {@code redis-server} (`apt-get install redis-server`) started on a free 127.0.0.1 port without
 * persistence. Both run the same tests; neither is skipped: with neither available, {@link #start()} fails.
 *
 * <p>One server per JVM ({@link #shared()}), stopped when the JVM exits; tests keep apart by key prefix
 * or {@link #flushAll()}.
 */
public final class RedisTestServer implements AutoCloseable {

    private static final String IMAGE = "redis:7-alpine";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static RedisTestServer shared;

    private final String host;
    private final int port;
    private final AutoCloseable stopper;
    private final String kind;

    private RedisTestServer(String host, int port, AutoCloseable stopper, String kind) {
        this.host = host;
        this.port = port;
        this.stopper = stopper;
        this.kind = kind;
    }

    /** The JVM's one test Redis, started on first use. */
    public static synchronized RedisTestServer shared() {
        if (shared == null) {
            RedisTestServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-test-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** A new server, owned by the caller. */
    public static RedisTestServer start() {
        if (dockerAvailable()) {
            return container();
        }
        return localProcess();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** "testcontainers" or "redis-server": which path started it, for test logs. */
    public String kind() {
        return kind;
    }

    /** Deletes every key (FLUSHALL) over a plain socket, so a test starts from nothing. */
    public void flushAll() {
        String reply = command("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("FLUSHALL answered " + reply);
        }
    }

    @Override
    public void close() {
        try {
            stopper.close();
        } catch (Exception e) {
            throw new IllegalStateException("Stopping the test Redis failed", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by close()
    private static RedisTestServer container() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(6379)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        container.start();
        return new RedisTestServer(container.getHost(), container.getMappedPort(6379), container::stop, "testcontainers");
    }

    private static RedisTestServer localProcess() {
        Path binary = findRedisServer();
        int port = freePort();
        Process process;
        try {
            Path dir = Files.createTempDirectory("redis-test-");
            process = new ProcessBuilder(List.of(binary.toString(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + binary, e);
        }
        var server = new RedisTestServer("127.0.0.1", port, () -> stop(process), "redis-server");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (server.command("PING").startsWith("+PONG")) {
                    return server;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop(process);
                throw new IllegalStateException("redis-server did not answer PING on 127.0.0.1:" + port);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(process);
                throw new IllegalStateException("Interrupted while starting redis-server", e);
            }
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path findRedisServer() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("No Docker engine and no redis-server on this machine: "
                + "install one (Debian: apt-get install -y redis-server; .ci/run does it).");
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    /** One inline command over RESP; the first line of the reply. */
    private String command(String command) {
        try (var socket = new Socket(host, port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            var line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        } catch (IOException e) {
            throw new IllegalStateException("Redis on " + host + ":" + port + " did not answer: " + e.getMessage(), e);
        }
    }
}
