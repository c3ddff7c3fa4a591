package dev.runrelay.bench;

import java.time.Instant;

/** Wall-clock microseconds since the epoch: comparable across processes on one machine (Linux gives µs precision). */
final class Micros {

    private Micros() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
