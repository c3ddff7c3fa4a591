package dev.runrelay.domain.owner;

import java.util.Objects;

/**
 * The principal a thread or run belongs to: the authenticated caller that started it through the gateway
 * (a JWT's subject, or the one shared principal of the {@code none} and {@code token} modes). Only its
 * owner may read, list, steer, cancel or continue it; to anyone else it does not exist.
 *
 * @param name the principal's stable name, as the authentication produced it
 */
public record Owner(String name) {

    /** Longest principal name kept; a longer one is refused rather than cut, so two names never collide. */
    public static final int MAX_LENGTH = 256;

    public Owner {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("An owner's name must have 1 to " + MAX_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
