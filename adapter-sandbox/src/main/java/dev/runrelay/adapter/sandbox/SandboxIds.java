package dev.runrelay.adapter.sandbox;

import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ids nobody can predict, and seeded choices of content. Ids come from {@link SecureRandom} (24 characters
 * of 62, about 143 bits), so an id seen once is never valid again for someone else's thread after a
 * restart; the seed drives only what the sandbox plays, so the same seed and calls give the same content.
 */
final class SandboxIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 24;

    private final SecureRandom ids = new SecureRandom();
    private final SplittableRandom random;

    SandboxIds(long seed) {
        this.random = new SplittableRandom(seed);
    }

    String next(String prefix) {
        var id = new StringBuilder(prefix).append('_');
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ALPHABET.charAt(ids.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    synchronized <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
