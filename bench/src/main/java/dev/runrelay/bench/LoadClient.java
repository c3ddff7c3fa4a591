package dev.runrelay.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's load client: opens N WebSocket connections to the running app (Reactor Netty, a fixed
 * small event-loop group, no thread per connection), starts one run on each with the documented protocol,
 * checks every stream (see {@link StreamProbe}) and measures delivery latency, time to first chunk, events/s
 * and, through /proc and the actuator, the app's CPU per relayed event, peak RSS, heap and OS threads.
 *
 * <p>A warm-up phase runs first and is not measured. Every phase is bounded by {@code --timeout-s}.
 */
public final class LoadClient {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final String url;
    private final String origin;
    private final String assistantId;
    private final HttpClient client;
    private final HttpClient actuatorClient;
    private final String actuator;
    private final long appPid;
    private final long upstreamPid;

    private LoadClient(String url, String origin, String assistantId, int clientThreads, String actuator,
            long appPid, long upstreamPid) {
        this.url = url;
        this.origin = origin;
        this.assistantId = assistantId;
        LoopResources loops = LoopResources.create("bench-client", clientThreads, true);
        this.client = HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .headers(h -> {
                    if (!origin.isEmpty()) {
                        h.set("Origin", origin);
                    }
                });
        this.actuatorClient = HttpClient.create().runOn(loops);
        this.actuator = actuator;
        this.appPid = appPid;
        this.upstreamPid = upstreamPid;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String scenario = args.string("scenario", "adhoc");
        String url = args.string("url", "ws://127.0.0.1:8080/ws/runs");
        String origin = args.string("origin", "");
        String assistantId = args.string("assistant-id", "asst_bench");
        int streams = args.integer("streams", 100);
        int deltas = args.integer("deltas", 200);
        int intervalMs = args.integer("interval-ms", 20);
        int spreadMs = args.integer("start-spread-ms", 500);
        // Rounds of STREAMSxDELTAS@INTERVAL_MS: a burst gets the relay path compiled, then a paced round at
        // the scenario's pace (up to 1,000 streams) gets the paced path (parking, timers) compiled too.
        String warmup = args.string("warmup", "100x1000@0," + Math.min(streams, 1000) + "x200@20");
        int timeoutS = args.integer("timeout-s", 120);
        int clientThreads = args.integer("client-threads", 1);
        int connectConcurrency = args.integer("connect-concurrency", 256);
        String actuator = args.string("actuator", "http://127.0.0.1:8080/actuator");
        long appPid = args.longValue("app-pid", -1);
        long upstreamPid = args.longValue("upstream-pid", -1);
        String out = args.string("out", "");
        String command = args.string("command", "");
        String appJvm = args.string("app-jvm", "");
        String appProvider = args.string("app-provider", "");
        args.requireAllUsed();
        if (origin.isEmpty()) {
            // A browser sends its page's origin; the app allows its own origin and localhost by default.
            java.net.URI uri = java.net.URI.create(url);
            origin = "http://localhost:" + uri.getPort();
        }

        LoadClient bench = new LoadClient(url, origin, assistantId, clientThreads, actuator, appPid, upstreamPid);
        for (String round : warmup.isBlank() ? new String[0] : warmup.split(",")) {
            String[] spec = round.trim().split("[x@]");
            int warmupStreams = Integer.parseInt(spec[0]);
            Phase warm = bench.runPhase(warmupStreams, Integer.parseInt(spec[1]), Integer.parseInt(spec[2]), spreadMs,
                    connectConcurrency, Duration.ofSeconds(timeoutS), false);
            System.out.printf("warm-up %s: %d/%d streams completed, %.0f events/s, p99 %.1f ms%n", round.trim(),
                    warm.completed(), warmupStreams, warm.eventsPerSecond(), warm.latency.getValueAtPercentile(99) / 1e3);
        }
        String loadBefore = ProcStats.loadAverage();
        Phase measured = bench.runPhase(streams, deltas, intervalMs, spreadMs, connectConcurrency,
                Duration.ofSeconds(timeoutS), true);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", scenario);
        report.put("date", Instant.now().toString());
        report.put("command", command);
        report.put("machine", Map.of(
                "nproc", Runtime.getRuntime().availableProcessors(),
                "memTotalMiB", ProcStats.memTotalKb() / 1024,
                "jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "loadAvgBefore", loadBefore,
                "loadAvgAfter", ProcStats.loadAverage(),
                "machineCpuBusyPercentDuringWindow", round1(measured.machineBusyPercent)));
        report.put("app", Map.of("pid", appPid, "provider", appProvider, "jvm", appJvm));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("streams", streams);
        params.put("deltasPerStream", deltas);
        params.put("intervalMs", intervalMs);
        params.put("startSpreadMs", spreadMs);
        params.put("warmup", warmup + " (streams x deltas @ interval ms, per round)");
        params.put("clientThreads", clientThreads);
        params.put("timeoutS", timeoutS);
        report.put("params", params);
        report.put("results", measured.toMap());
        String json = MAPPER.writeValueAsString(report);
        System.out.println(json);
        if (!out.isEmpty()) {
            Path path = Path.of(out);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, json + "\n");
            System.out.println("results written to " + path);
        }
        System.out.println(measured.tableRow(scenario, streams, deltas, intervalMs));
        System.exit(measured.completed() == streams ? 0 : 1);
    }

    private Phase runPhase(int streams, int deltas, int intervalMs, int spreadMs, int connectConcurrency,
            Duration timeout, boolean measure) throws InterruptedException {
        Phase phase = new Phase(streams);
        Sinks.Empty<Void> go = Sinks.empty();
        CountDownLatch done = new CountDownLatch(streams);
        List<Disposable> connections = new ArrayList<>(streams);
        String tag = Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < streams; i++) {
            phase.probes.add(new StreamProbe("r" + tag + "-" + i, deltas, phase.latency, phase.firstChunk));
        }
        long connectStart = System.nanoTime();
        Flux.range(0, streams)
                .flatMap(i -> {
                    StreamProbe probe = phase.probes.get(i);
                    long offsetNanos = streams <= 1 ? 0 : TimeUnit.MILLISECONDS.toNanos(spreadMs) * i / streams;
                    String input = "bench:deltas=" + deltas + ",interval=" + intervalMs + " stream " + i;
                    String frame = """
                            {"type":"run","requestId":"%s","assistantId":"%s","input":"%s"}"""
                            .formatted(probe.requestId, assistantId, input);
                    Sinks.Empty<Void> connected = Sinks.empty();
                    synchronized (connections) {
                        connections.add(open(probe, frame, go, offsetNanos, connected, done));
                    }
                    return connected.asMono();
                }, connectConcurrency)
                .then()
                .block(timeout);
        phase.connectSeconds = (System.nanoTime() - connectStart) / 1e9;

        Sampler sampler = measure ? new Sampler() : null;
        var appThreadsBefore = ProcStats.threadCpu(appPid);
        var upstreamThreadsBefore = ProcStats.threadCpu(upstreamPid);
        double[] appSplitBefore = ProcStats.cpuSplitSeconds(appPid);
        double appCpuBefore = ProcStats.cpuSeconds(appPid);
        double upstreamCpuBefore = ProcStats.cpuSeconds(upstreamPid);
        double upstreamKernelBefore = ProcStats.cpuSplitSeconds(upstreamPid)[1];
        double clientCpuBefore = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        long[] machineBefore = ProcStats.machineCpuJiffies();
        long start = System.nanoTime();
        phase.windowStartEpochMs = System.currentTimeMillis();
        go.tryEmitEmpty();
        boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        phase.windowEndEpochMs = System.currentTimeMillis();
        phase.appCpuSeconds = ProcStats.cpuSeconds(appPid) - appCpuBefore;
        double[] appSplitAfter = ProcStats.cpuSplitSeconds(appPid);
        phase.appCpuByThread = ProcStats.threadCpuDelta(appThreadsBefore, ProcStats.threadCpu(appPid));
        phase.appUserSeconds = appSplitAfter[0] - appSplitBefore[0];
        phase.appKernelSeconds = appSplitAfter[1] - appSplitBefore[1];
        phase.upstreamCpuSeconds = ProcStats.cpuSeconds(upstreamPid) - upstreamCpuBefore;
        phase.upstreamKernelSeconds = ProcStats.cpuSplitSeconds(upstreamPid)[1] - upstreamKernelBefore;
        phase.upstreamCpuByThread = ProcStats.threadCpuDelta(upstreamThreadsBefore, ProcStats.threadCpu(upstreamPid));
        phase.clientCpuSeconds = ProcStats.cpuSeconds(ProcessHandle.current().pid()) - clientCpuBefore;
        long[] machineAfter = ProcStats.machineCpuJiffies();
        phase.machineBusyPercent = 100.0 * (machineAfter[0] - machineBefore[0])
                / Math.max(1, machineAfter[1] - machineBefore[1]);
        phase.windowSeconds = (end - start) / 1e9;
        phase.timedOut = !finished;
        if (sampler != null) {
            sampler.stop();
            phase.sampler = sampler;
            phase.appPeakRssKb = ProcStats.statusField(appPid, "VmHWM");
            phase.threadNames = ProcStats.threadNames(appPid);
        }
        if (!finished) {
            for (StreamProbe probe : phase.probes) {
                probe.timedOut();
            }
        }
        synchronized (connections) {
            connections.forEach(Disposable::dispose);
        }
        return phase;
    }

    private Disposable open(StreamProbe probe, String frame, Sinks.Empty<Void> go, long offsetNanos,
            Sinks.Empty<Void> connected, CountDownLatch done) {
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                done.countDown();
            }
        };
        return client.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(4 << 20).build())
                .uri(url)
                .handle((in, out) -> {
                    connected.tryEmitEmpty();
                    Mono<Void> send = go.asMono()
                            .then(Mono.delay(Duration.ofNanos(offsetNanos)))
                            .then(Mono.defer(() -> {
                                probe.sentAtMicros = Micros.now();
                                return out.sendString(Mono.just(frame)).then();
                            }));
                    Mono<Void> receive = in.aggregateFrames(4 << 20)
                            .receive()
                            .asString(StandardCharsets.UTF_8)
                            .doOnNext(text -> probe.onFrame(text, Micros.now(), MAPPER))
                            .takeUntil(text -> probe.ended)
                            .then();
                    return Mono.when(send, receive);
                })
                .subscribe(null, error -> {
                    probe.connectionFailed(error);
                    connected.tryEmitEmpty();
                    finish.run();
                }, () -> {
                    probe.closedBeforeEnd();
                    connected.tryEmitEmpty();
                    finish.run();
                });
    }

    /** Samples the app's OS threads, RSS and heap every 200 ms while a phase is measured. */
    private final class Sampler {
        final AtomicLong maxThreads = new AtomicLong();
        final AtomicLong maxRssKb = new AtomicLong();
        final AtomicLong maxHeapBytes = new AtomicLong(-1);
        final AtomicLong maxHeapCommittedBytes = new AtomicLong(-1);
        private final Disposable ticks;

        Sampler() {
            sample();
            ticks = Flux.interval(Duration.ofMillis(200)).subscribe(tick -> sample());
        }

        private void sample() {
            maxThreads.accumulateAndGet(ProcStats.statusField(appPid, "Threads"), Math::max);
            maxRssKb.accumulateAndGet(ProcStats.statusField(appPid, "VmRSS"), Math::max);
            heap("jvm.memory.used", maxHeapBytes);
            heap("jvm.memory.committed", maxHeapCommittedBytes);
        }

        private void heap(String metric, AtomicLong max) {
            actuatorClient.get()
                    .uri(actuator + "/metrics/" + metric + "?tag=area:heap")
                    .responseSingle((response, body) -> response.status().code() == 200
                            ? body.asString() : Mono.empty())
                    .timeout(Duration.ofSeconds(2))
                    .subscribe(body -> {
                        JsonNode value = MAPPER.readTree(body).path("measurements").path(0).path("value");
                        if (value.isNumber()) {
                            max.accumulateAndGet(value.asLong(), Math::max);
                        }
                    }, error -> {
                        // heap is optional: the app may not expose the metrics endpoint
                    });
        }

        void stop() {
            sample();
            ticks.dispose();
        }
    }

    private static final class Phase {
        final List<StreamProbe> probes;
        final Histogram latency = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(1), 3);
        final Histogram firstChunk = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(1), 3);
        double connectSeconds;
        double windowSeconds;
        long windowStartEpochMs;
        long windowEndEpochMs;
        double appCpuSeconds;
        double appUserSeconds;
        double appKernelSeconds;
        double upstreamCpuSeconds;
        double upstreamKernelSeconds;
        double clientCpuSeconds;
        double machineBusyPercent;
        boolean timedOut;
        long appPeakRssKb = -1;
        Sampler sampler;
        Map<String, Integer> threadNames = Map.of();
        Map<String, Double> appCpuByThread = Map.of();
        Map<String, Double> upstreamCpuByThread = Map.of();

        Phase(int streams) {
            probes = new ArrayList<>(streams);
        }

        long completed() {
            return probes.stream().filter(StreamProbe::completed).count();
        }

        long frames() {
            return probes.stream().mapToLong(p -> p.frames).sum();
        }

        long chunks() {
            return probes.stream().mapToLong(p -> p.chunks).sum();
        }

        double eventsPerSecond() {
            return frames() / Math.max(1e-9, windowSeconds);
        }

        double appCpuMicrosPerEvent() {
            return appCpuSeconds < 0 ? -1 : appCpuSeconds * 1e6 / Math.max(1, frames());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("streamsCompleted", completed());
            m.put("streamsFailed", probes.size() - completed());
            m.put("timedOut", timedOut);
            m.put("framesRelayed", frames());
            m.put("chunksRelayed", chunks());
            m.put("lostDeltas", probes.stream().mapToLong(p -> p.lostDeltas).sum());
            m.put("duplicatedOrReorderedDeltas", probes.stream().mapToLong(p -> p.duplicatedOrReordered).sum());
            m.put("seqViolations", probes.stream().mapToLong(p -> p.seqViolations).sum());
            m.put("messageDoneTextChecked", probes.stream().filter(StreamProbe::messageDoneMatched).count());
            m.put("messageDoneFramesSeen", probes.stream().filter(StreamProbe::messageDoneSeen).count());
            m.put("connectSeconds", round3(connectSeconds));
            m.put("windowSeconds", round3(windowSeconds));
            m.put("windowEpochMs", List.of(windowStartEpochMs, windowEndEpochMs));
            m.put("eventsPerSecond", Math.round(eventsPerSecond()));
            m.put("chunksPerSecond", Math.round(chunks() / Math.max(1e-9, windowSeconds)));
            m.put("latencyMs", percentiles(latency));
            m.put("firstChunkMs", percentiles(firstChunk));
            m.put("appCpuSeconds", round3(appCpuSeconds));
            m.put("appCpuMicrosPerEvent", round1(appCpuMicrosPerEvent()));
            double jit = appCpuByThread.entrySet().stream().filter(e -> e.getKey().startsWith("C# Compiler"))
                    .mapToDouble(Map.Entry::getValue).sum();
            // The JIT still compiles during a short window after warm-up; without it: the steady state.
            m.put("appCpuMicrosPerEventWithoutJit", round1((appCpuSeconds - jit) * 1e6 / Math.max(1, frames())));
            m.put("appUserMicrosPerEvent", round1(appUserSeconds * 1e6 / Math.max(1, frames())));
            m.put("appKernelMicrosPerEvent", round1(appKernelSeconds * 1e6 / Math.max(1, frames())));
            m.put("appPeakRssMiB", appPeakRssKb < 0 ? -1 : round1(appPeakRssKb / 1024.0));
            if (sampler != null) {
                m.put("appMaxRssSampledMiB", round1(sampler.maxRssKb.get() / 1024.0));
                m.put("appMaxHeapUsedMiB", sampler.maxHeapBytes.get() < 0 ? -1
                        : round1(sampler.maxHeapBytes.get() / 1048576.0));
                m.put("appMaxHeapCommittedMiB", sampler.maxHeapCommittedBytes.get() < 0 ? -1
                        : round1(sampler.maxHeapCommittedBytes.get() / 1048576.0));
                m.put("appMaxOsThreads", sampler.maxThreads.get());
            }
            m.put("appCpuSecondsByThread", appCpuByThread);
            m.put("appOsThreadsAtEndByName", threadNames);
            m.put("upstreamCpuSeconds", round3(upstreamCpuSeconds));
            m.put("upstreamKernelSeconds", round3(upstreamKernelSeconds));
            m.put("upstreamCpuSecondsByThread", upstreamCpuByThread);
            m.put("clientCpuSeconds", round3(clientCpuSeconds));
            Map<String, Long> endStatuses = new LinkedHashMap<>();
            probes.forEach(p -> endStatuses.merge(String.valueOf(p.finalStatus()), 1L, Long::sum));
            m.put("endStatuses", endStatuses);
            Map<String, Long> errorCodes = new LinkedHashMap<>();
            probes.stream().filter(p -> p.errorCode() != null)
                    .forEach(p -> errorCodes.merge(p.errorCode(), 1L, Long::sum));
            m.put("errorCodes", errorCodes);
            m.put("sampleProblems", probes.stream()
                    .filter(p -> !p.problems().isEmpty())
                    .limit(10)
                    .map(p -> p.requestId + ": " + p.problems())
                    .toList());
            return m;
        }

        String tableRow(String scenario, int streams, int deltas, int intervalMs) {
            return "| %s | %d × %d @ %d ms | %d/%d | %d | %.1f / %.1f / %.1f | %.1f | %.1f | %s | %s | %s |".formatted(
                    scenario, streams, deltas, intervalMs, completed(), streams, Math.round(eventsPerSecond()),
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                    latency.getMaxValue() / 1e3, firstChunk.getValueAtPercentile(50) / 1e3,
                    appCpuMicrosPerEvent(),
                    appPeakRssKb < 0 ? "-" : Math.round(appPeakRssKb / 1024.0) + " MiB",
                    sampler == null || sampler.maxHeapBytes.get() < 0 ? "-"
                            : Math.round(sampler.maxHeapBytes.get() / 1048576.0) + " MiB",
                    sampler == null ? "-" : Long.toString(sampler.maxThreads.get()));
        }

        private static Map<String, Object> percentiles(Histogram h) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", h.getTotalCount());
            for (double p : new double[] {50, 90, 99, 99.9}) {
                m.put("p" + (p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)),
                        round3(h.getValueAtPercentile(p) / 1e3));
            }
            m.put("max", round3(h.getMaxValue() / 1e3));
            return m;
        }
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
