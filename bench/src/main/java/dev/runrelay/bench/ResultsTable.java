package dev.runrelay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the Markdown table of bench/README.md from result files:
 * {@code java -cp runrelay-bench.jar dev.runrelay.bench.ResultsTable bench/results/2026-11-21-*.json}.
 */
public final class ResultsTable {

    /** What was measured, when not the app on main: the baseline relay, or an A/B side. */
    private static String label(String file, JsonNode result) {
        String provider = result.path("app").path("provider").asString("");
        if (provider.startsWith("baseline")) {
            return " (baseline relay)";
        }
        String name = Path.of(file).getFileName().toString();
        if (name.contains("-A-")) {
            return " (A: main)";
        }
        if (name.contains("-B-")) {
            return " (B: perf branch)";
        }
        return provider.endsWith("openai-assistants") ? " (Assistants)" : "";
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = JsonMapper.builder().build();
        List<String> rows = new ArrayList<>();
        rows.add("| scenario | streams × deltas @ pace | completed | lost / dup / seq | events/s | latency p50 / p99 / max"
                + " (ms) | first chunk p50 / p99 (ms) | app CPU µs/event (w/o JIT; user+kernel) | peak RSS | max heap"
                + " | OS threads | machine busy, load before |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String file : args) {
            JsonNode r = mapper.readTree(Files.readString(Path.of(file)));
            JsonNode p = r.path("params");
            JsonNode x = r.path("results");
            JsonNode m = r.path("machine");
            rows.add("| %s | %d × %d @ %s | %d/%d | %d / %d / %d | %,d | %.1f / %.1f / %.1f | %.1f / %.1f | %.1f (%.1f; %.1f+%.1f) | %.0f MiB | %.0f MiB | %d | %.0f%%, %s |"
                    .formatted(
                            r.path("scenario").asString() + label(file, r),
                            p.path("streams").asInt(), p.path("deltasPerStream").asInt(),
                            p.path("intervalMs").asInt() == 0 ? "no delay" : p.path("intervalMs").asInt() + " ms",
                            x.path("streamsCompleted").asLong(), p.path("streams").asInt(),
                            x.path("lostDeltas").asLong(), x.path("duplicatedOrReorderedDeltas").asLong(),
                            x.path("seqViolations").asLong(),
                            x.path("eventsPerSecond").asLong(),
                            x.path("latencyMs").path("p50").asDouble(), x.path("latencyMs").path("p99").asDouble(),
                            x.path("latencyMs").path("max").asDouble(),
                            x.path("firstChunkMs").path("p50").asDouble(), x.path("firstChunkMs").path("p99").asDouble(),
                            x.path("appCpuMicrosPerEvent").asDouble(), x.path("appCpuMicrosPerEventWithoutJit").asDouble(),
                            x.path("appUserMicrosPerEvent").asDouble(), x.path("appKernelMicrosPerEvent").asDouble(),
                            x.path("appPeakRssMiB").asDouble(), x.path("appMaxHeapUsedMiB").asDouble(),
                            x.path("appMaxOsThreads").asLong(),
                            m.path("machineCpuBusyPercentDuringWindow").asDouble(),
                            String.join(" ", List.of(m.path("loadAvgBefore").asString("?").split(" ")).subList(0, 1))));
        }
        rows.forEach(System.out::println);
    }
}
