package dev.runrelay.adapter.sandbox;

import java.time.Duration;

/**
 * How the sandbox provider behaves.
 *
 * @param seed drives every choice of canned content: the same seed and the same calls give the same
 *     texts, tool calls and steps; ids never follow it (they come from a secure random source)
 * @param deltasPerSecond the pace of streamed fragments (text, code, arguments); the "thinking" pauses
 *     before a step are {@value #THINKING_PAUSE_IN_DELTAS} fragments long
 * @param maxThreads threads kept in memory; beyond it the oldest thread (and its runs) is forgotten,
 *     so a long-running demo or a benchmark does not grow without bound
 */
public record SandboxSettings(long seed, int deltasPerSecond, int maxThreads) {

    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_DELTAS_PER_SECOND = 50;
    public static final int MAX_DELTAS_PER_SECOND = 100_000;
    public static final int DEFAULT_MAX_THREADS = 10_000;
    static final int THINKING_PAUSE_IN_DELTAS = 15;

    public SandboxSettings {
        if (deltasPerSecond < 1 || deltasPerSecond > MAX_DELTAS_PER_SECOND) {
            throw new IllegalArgumentException(
                    "runrelay.sandbox.deltas-per-second must be between 1 and " + MAX_DELTAS_PER_SECOND
                            + ", was " + deltasPerSecond);
        }
        if (maxThreads < 1) {
            throw new IllegalArgumentException("runrelay.sandbox.max-threads must be at least 1, was " + maxThreads);
        }
    }

    public SandboxSettings(long seed, int deltasPerSecond) {
        this(seed, deltasPerSecond, DEFAULT_MAX_THREADS);
    }

    public static SandboxSettings defaults() {
        return new SandboxSettings(DEFAULT_SEED, DEFAULT_DELTAS_PER_SECOND, DEFAULT_MAX_THREADS);
    }

    /** The time between two streamed fragments. */
    Duration deltaInterval() {
        return Duration.ofNanos(1_000_000_000L / deltasPerSecond);
    }

    /** The pause before the assistant starts a step, as if it were thinking. */
    Duration thinkingPause() {
        return deltaInterval().multipliedBy(THINKING_PAUSE_IN_DELTAS);
    }
}
