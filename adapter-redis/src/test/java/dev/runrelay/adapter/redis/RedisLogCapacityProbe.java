package dev.runrelay.adapter.redis;

import dev.runrelay.domain.port.RunEventLogPort.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * bench: how many streams' logs one Redis takes. Not a test (a main, run by bench/README's command):
 * for each stream count, every stream appends one ~180-byte frame every 20 ms (the s1000 pace) through
 * the real {@link RedisRunEventLogAdapter} for {@code seconds}; it prints the frames offered and
 * written per second, the writer's backlog when the window closes, and redis-server's CPU share
 * (from /proc/&lt;pid&gt;/stat). Redis is the bottleneck where its CPU nears 100 % of its one core and
 * the backlog grows.
 *
 * <p>Arguments: {@code <redis port> <redis pid> <seconds> <stream count>...}
 */
public final class RedisLogCapacityProbe {

    private static final String FRAME = "{\"type\":\"chunk\",\"requestId\":\"r1\",\"threadId\":\"thread_0123456789\","
            + "\"runId\":\"run_0123456789abcdef\",\"seq\":%d,\"message\":\"word \",\"messageId\":\"msg_0123456789\"}";

    private RedisLogCapacityProbe() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int seconds = Integer.parseInt(args[2]);
        var factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        var template = new ReactiveStringRedisTemplate(factory);
        System.out.println("streams | offered frames/s | written frames/s | backlog at end | drain after end (ms) | "
                + "dropped | redis CPU % of a core | redis CPU µs/frame");
        for (int i = 3; i < args.length; i++) {
            int streams = Integer.parseInt(args[i]);
            template.getConnectionFactory().getReactiveConnection().serverCommands().flushAll().block();
            var log = new RedisRunEventLogAdapter(template, new RedisKeys("probe:"), Duration.ofMinutes(5), 10_000,
                    2_000_000);
            var offered = new AtomicLong();
            var ticker = Executors.newSingleThreadScheduledExecutor();
            long[] seq = new long[streams];
            long cpuBefore = cpuTicks(pid);
            long start = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> {
                for (int s = 0; s < streams; s++) {
                    long next = ++seq[s];
                    log.append("run_" + s, new Entry(next, false, FRAME.formatted(next)));
                }
                offered.addAndGet(streams);
            }, 0, 20, TimeUnit.MILLISECONDS);
            Thread.sleep(seconds * 1000L);
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            double window = (System.nanoTime() - start) / 1e9;
            int backlog = log.queued();
            long drainStart = System.nanoTime();
            while (log.queued() > 0 && System.nanoTime() - drainStart < 60_000_000_000L) {
                Thread.sleep(5);
            }
            Thread.sleep(50); // the last batch in flight
            double drainMs = (System.nanoTime() - drainStart) / 1e6;
            long cpuAfter = cpuTicks(pid);
            double cpuSeconds = (cpuAfter - cpuBefore) / 100.0;
            long frames = offered.get() - log.dropped();
            double written = frames / (window + drainMs / 1000);
            System.out.printf(Locale.ROOT, "%d | %.0f | %.0f | %d | %.0f | %d | %.0f | %.2f%n", streams,
                    offered.get() / window, written, backlog, drainMs, log.dropped(),
                    100 * cpuSeconds / (window + drainMs / 1000), cpuSeconds * 1e6 / frames);
            log.close();
        }
        factory.destroy();
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
