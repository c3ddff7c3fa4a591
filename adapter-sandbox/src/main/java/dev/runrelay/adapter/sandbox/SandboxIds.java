package dev.runrelay.adapter.sandbox;

import java.util.List;
import java.util.SplittableRandom;

/** Seeded ids and choices: the same seed and the same sequence of calls give the same values. */
final class SandboxIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 24;

    private final SplittableRandom random;

    SandboxIds(long seed) {
        this.random = new SplittableRandom(seed);
    }

    synchronized String next(String prefix) {
        var id = new StringBuilder(prefix).append('_');
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    synchronized <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
