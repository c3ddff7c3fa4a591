package dev.runrelay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What Linux's /proc tells about a process (CPU time, memory, OS threads) and the machine (CPU, load). */
final class ProcStats {

    /** USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every mainstream Linux build. */
    static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** Process CPU seconds (user + system) so far, or -1 when the process is gone. */
    static double cpuSeconds(long pid) {
        double[] split = cpuSplitSeconds(pid);
        return split[0] < 0 ? -1 : split[0] + split[1];
    }

    /** Process CPU seconds so far in user mode and in the kernel ({-1, -1} when the process is gone). */
    static double[] cpuSplitSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may itself contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return new double[] {utime / CLOCK_TICKS_PER_SECOND, stime / CLOCK_TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1};
        }
    }

    /** A field of /proc/[pid]/status such as VmHWM, VmRSS (kB) or Threads; -1 when unavailable. */
    static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The OS threads of a process grouped by name with digits folded ("reactor-http-nio-#": 2). */
    static Map<String, Integer> threadNames(long pid) {
        Map<String, Integer> names = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "#");
                    names.merge(name, 1, Integer::sum);
                } catch (IOException ignored) {
                    // the thread ended while we listed it
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return names;
    }

    /** CPU seconds so far of every OS thread of a process, by thread id, with the name (digits folded). */
    static Map<String, Map.Entry<String, Double>> threadCpu(long pid) {
        Map<String, Map.Entry<String, Double>> threads = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
                    threads.put(task.getFileName().toString(), Map.entry(name, seconds));
                } catch (IOException | RuntimeException ignored) {
                    // the thread ended while we listed it
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return threads;
    }

    /** CPU seconds used between two {@link #threadCpu} snapshots, summed by thread name, largest first. */
    static Map<String, Double> threadCpuDelta(Map<String, Map.Entry<String, Double>> before,
            Map<String, Map.Entry<String, Double>> after) {
        Map<String, Double> byName = new java.util.HashMap<>();
        after.forEach((tid, now) -> {
            Map.Entry<String, Double> then = before.get(tid);
            double used = now.getValue() - (then == null ? 0 : then.getValue());
            if (used > 0) {
                byName.merge(now.getKey(), used, Double::sum);
            }
        });
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return sorted;
    }

    /** Machine-wide busy and total jiffies from the first line of /proc/stat. */
    static long[] machineCpuJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static long memTotalKb() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            return Long.parseLong(lines.getFirst().replaceAll("\\D+", ""));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
