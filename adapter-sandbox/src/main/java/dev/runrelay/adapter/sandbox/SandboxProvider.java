package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.port.Provider;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox provider: an offline, deterministic assistant behind the same ports as OpenAI. It keeps
 * threads, runs and steps in memory and plays a scenario chosen by keywords in the user's input
 * (see {@link Scenario}). Its own failures are {@link dev.runrelay.domain.error.RunRelayException}s
 * already, so its error translator knows nothing.
 */
public final class SandboxProvider {

    public static final String NAME = "sandbox";

    private SandboxProvider() {}

    public static Provider create(SandboxSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return create(new SandboxWorld(settings, Clock.systemUTC()));
    }

    /** The provider over {@code world} (tests read the world's counters). */
    static Provider create(SandboxWorld world) {
        return new Provider(NAME, new SandboxRunAdapter(world), new SandboxRunStepAdapter(world),
                new SandboxRunStreamAdapter(world), failure -> Optional.empty());
    }
}
