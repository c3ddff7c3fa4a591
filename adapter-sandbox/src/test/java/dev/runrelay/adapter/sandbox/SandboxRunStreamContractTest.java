package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.contract.RunStreamPortContract;
import dev.runrelay.domain.port.Provider;
import java.time.Clock;

/** The stream contract every provider keeps, run against the sandbox. */
class SandboxRunStreamContractTest extends RunStreamPortContract {

    private final SandboxWorld world = new SandboxWorld(new SandboxSettings(7L, 2_000), Clock.systemUTC());
    private final Provider provider = SandboxProvider.create(world);

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected String assistantId() {
        return "asst_sandbox";
    }

    @Override
    protected void prepareTextRun() {
        // The sandbox answers any input with text.
    }

    /** Runs started: a stream that is cold starts none before it is subscribed. */
    @Override
    protected int streamRequests() {
        return world.runsStarted();
    }

    @Override
    protected void prepareSlowTextRun() {
        // Not needed: the sandbox has no upstream connection (see openUpstreamStreams).
    }

    /**
     * The sandbox has no upstream connection: its run plays in memory whether anyone listens, as a run
     * at a real provider goes on when the stream closes; there is nothing to close.
     */
    @Override
    protected int openUpstreamStreams() {
        return -1;
    }
}
