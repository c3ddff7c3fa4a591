package dev.runrelay.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU time goes, from a JFR recording's execution samples: the top methods by self samples, the
 * top frames by inclusive samples (restricted to a package prefix when given), and self samples grouped by
 * package. {@code java -cp runrelay-bench.jar dev.runrelay.bench.JfrTop rec.jfr [top] [prefix]}
 */
public final class JfrTop {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String prefix = args.length > 2 ? args[2] : "";
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            // Java code on CPU only: jdk.NativeMethodSample also samples threads idling in epoll_wait.
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            if (event.hasField("sampledThread") && event.getThread("sampledThread") != null) {
                String name = event.getThread("sampledThread").getJavaName();
                threads.merge(name == null ? "?" : name.replaceAll("\\d+", "#"), 1L, Long::sum);
            }
            List<RecordedFrame> frames = stack.getFrames();
            String leaf = name(frames.getFirst());
            self.merge(leaf, 1L, Long::sum);
            packages.merge(packageOf(frames.getFirst()), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String n = name(frame);
                if (n.startsWith(prefix) && seen.add(n)) {
                    inclusive.merge(n, 1L, Long::sum);
                }
            }
        }
        System.out.printf("%d execution samples in %s%n", samples, file);
        print("self samples by package", packages, samples, top);
        print("self samples by method", self, samples, top);
        print("inclusive samples by method" + (prefix.isEmpty() ? "" : " (" + prefix + "*)"), inclusive, samples,
                top);
        print("samples by thread", threads, samples, top);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, Math.max(1, parts.length - 1))));
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println();
        System.out.println("== " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf("%6.2f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey()));
    }
}
