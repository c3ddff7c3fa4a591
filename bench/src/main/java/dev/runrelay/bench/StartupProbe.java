package dev.runrelay.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up to ready: launches the app's command (everything after {@code --}) {@code --runs} times, and for
 * each measures the wall time from process launch to {@code GET <readiness>} answering 200 with status UP,
 * plus the app's own "Started … in X seconds" line. Prints one line per run and the median.
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
        args.requireAllUsed();
        List<String> command = List.of(Arrays.copyOfRange(argv, split + 1, argv.length));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest probe = HttpRequest.newBuilder(readiness).timeout(Duration.ofMillis(500)).GET().build();
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
            long deadline = launched + Duration.ofSeconds(timeoutS).toNanos();
            while (System.nanoTime() < deadline && app.isAlive()) {
                try {
                    HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                        ms = (System.nanoTime() - launched) / 1e6;
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            app.destroy();
            app.waitFor();
            Thread.sleep(300); // the reader thread prints the Started line once the stream closes
            System.out.printf("run %d: ready after %.0f ms (app says started in %s)%n", run, ms, startedLine.get());
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
}
