package dev.runrelay.bench;

import java.nio.file.Path;
import java.time.Instant;
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
 * Where the CPU time goes, from a JFR recording's execution samples (Java code on CPU): self samples by
 * package and by method, inclusive samples by method (optionally only frames starting with {@code --prefix}),
 * samples by thread, and with {@code --callers=text} the call paths leading to the methods whose name contains
 * that text. {@code --from}/{@code --to} (epoch ms) keep only the measured window.
 *
 * <pre>java -cp runrelay-bench.jar dev.runrelay.bench.JfrTop --file=rec.jfr [--top=40] [--prefix=dev.runrelay]
 *     [--from=EPOCH_MS --to=EPOCH_MS] [--callers=URL.&lt;init&gt; --depth=12] [--thread=name-prefix]</pre>
 */
public final class JfrTop {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path file = Path.of(args.string("file", "recording.jfr"));
        int top = args.integer("top", 40);
        String prefix = args.string("prefix", "");
        Instant from = Instant.ofEpochMilli(args.longValue("from", 0));
        Instant to = Instant.ofEpochMilli(args.longValue("to", Long.MAX_VALUE / 2));
        String callers = args.string("callers", "");
        int depth = args.integer("depth", 12);
        String thread = args.string("thread", "");
        args.requireAllUsed();

        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> paths = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            // Java code on CPU only: jdk.NativeMethodSample also samples threads idling in epoll_wait.
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            String threadName = event.getThread("sampledThread") == null ? "?"
                    : String.valueOf(event.getThread("sampledThread").getJavaName());
            if (!threadName.startsWith(thread)) {
                continue;
            }
            samples++;
            threads.merge(threadName.replaceAll("\\d+", "#"), 1L, Long::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.getFirst()), 1L, Long::sum);
            packages.merge(packageOf(frames.getFirst()), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < frames.size(); i++) {
                String n = name(frames.get(i));
                if (n.startsWith(prefix) && seen.add(n)) {
                    inclusive.merge(n, 1L, Long::sum);
                }
                if (!callers.isEmpty() && n.contains(callers) && seen.add("callers:" + n)) {
                    StringBuilder path = new StringBuilder();
                    for (int j = i; j < Math.min(frames.size(), i + depth); j++) {
                        path.append("\n            <- ").append(name(frames.get(j)));
                    }
                    paths.merge(path.toString(), 1L, Long::sum);
                }
            }
        }
        System.out.printf("%d execution samples in %s between %s and %s%n", samples, file, from, to);
        print("self samples by package", packages, samples, top);
        print("self samples by method", self, samples, top);
        print("inclusive samples by method" + (prefix.isEmpty() ? "" : " (" + prefix + "*)"), inclusive, samples,
                top);
        print("samples by thread", threads, samples, top);
        if (!callers.isEmpty()) {
            print("call paths to *" + callers + "*", paths, samples, 10);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        String[] parts = frame.getMethod().getType().getName().split("\\.");
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
