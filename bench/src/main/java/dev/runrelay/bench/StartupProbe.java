package dev.runrelay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up to ready: launches the app's command (everything after {@code --}) {@code --runs} times, and for
 * each measures the wall time from process launch to {@code GET <readiness>} answering 200 with status UP,
 * plus the app's own "Started … in X seconds" line, the app's CPU time at ready (its process and descendants) and
 * the probe's own CPU time during the start. Prints one line per run and the median.
 *
 * <p>The probe shares the machine's cores with the start it measures, so it polls cheaply: by default
 * ({@code --client=socket}) one plain HTTP/1.1 request per attempt on a socket, warmed up before the first launch.
 * {@code --client=http} polls with {@link HttpClient} as the probe did before (bench/README.md, "Issue 14, sixth
 * pass"): on a cold JVM that cost 0.3–1.1 CPU-seconds during each start, on a 2-core machine.
 *
 * <pre>java -cp runrelay-bench.jar dev.runrelay.bench.StartupProbe --runs=5
 *     --readiness=http://127.0.0.1:18080/actuator/health/readiness -- java -jar runrelay.jar …</pre>
 */
public final class StartupProbe {

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds");

    public static void main(String[] argv) throws Exception {
        int split = Arrays.asList(argv).indexOf("--");
        if (split < 0) {
            throw new IllegalArgumentException("usage: StartupProbe --runs=N --readiness=URL -- <command…>");
        }
        Args args = new Args(Arrays.copyOfRange(argv, 0, split));
        int runs = args.integer("runs", 5);
        URI readiness = URI.create(args.string("readiness", "http://127.0.0.1:8080/actuator/health/readiness"));
        int timeoutS = args.integer("timeout-s", 60);
        String client = args.string("client", "socket");
        args.requireAllUsed();
        List<String> command = List.of(Arrays.copyOfRange(argv, split + 1, argv.length));

        BooleanSupplier ready = switch (client) {
            case "socket" -> () -> socketReady(readiness);
            case "http" -> httpClientReady(readiness);
            default -> throw new IllegalArgumentException("--client=socket|http, got: " + client);
        };
        if (client.equals("socket")) {
            for (int i = 0; i < 200; i++) {
                ready.getAsBoolean(); // warm-up, before any app runs: loads and compiles the polling path
            }
        }
        List<Double> readyMs = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long launched = System.nanoTime();
            Process app = new ProcessBuilder(command).redirectErrorStream(true).start();
            AtomicReference<String> startedLine = new AtomicReference<>("-");
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        Matcher m = STARTED.matcher(line);
                        if (m.find()) {
                            startedLine.set(m.group(1) + " s");
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            double ms = -1;
            long probeCpuAtLaunch = ownCpuNanos();
            long appCpuAtReady = -1;
            long deadline = launched + Duration.ofSeconds(timeoutS).toNanos();
            while (System.nanoTime() < deadline && app.isAlive()) {
                if (ready.getAsBoolean()) {
                    ms = (System.nanoTime() - launched) / 1e6;
                    appCpuAtReady = cpuNanos(app.toHandle());
                    break;
                }
                Thread.sleep(10);
            }
            long probeCpu = ownCpuNanos() - probeCpuAtLaunch;
            app.destroy();
            app.waitFor();
            Thread.sleep(300); // the reader thread prints the Started line once the stream closes
            System.out.printf("run %d: ready after %.0f ms (app says started in %s; app CPU at ready %.2f s, probe CPU"
                    + " during the start %.2f s)%n", run, ms, startedLine.get(), appCpuAtReady / 1e9, probeCpu / 1e9);
            if (ms < 0) {
                System.out.println("app did not become ready within " + timeoutS + " s");
                System.exit(1);
            }
            readyMs.add(ms);
        }
        List<Double> sorted = readyMs.stream().sorted().toList();
        System.out.printf("startup to ready: median %.0f ms, min %.0f ms, max %.0f ms over %d runs%n",
                sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast(), sorted.size());
    }

    /** One GET on a fresh connection, {@code Connection: close}: true when it answers 200 with status UP. */
    private static boolean socketReady(URI uri) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.startsWith("HTTP/1.1 200") && response.contains("\"UP\"");
        } catch (IOException notYet) {
            return false; // not listening yet, or closed before answering
        }
    }

    /** The probe as it was: {@link HttpClient}, whose first requests run cold in this JVM during the start. */
    private static BooleanSupplier httpClientReady(URI uri) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest probe = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(500)).GET().build();
        return () -> {
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"UP\"");
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /** CPU time of a process and its descendants so far (the app may be a script that starts java). */
    private static long cpuNanos(ProcessHandle process) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process), process.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
