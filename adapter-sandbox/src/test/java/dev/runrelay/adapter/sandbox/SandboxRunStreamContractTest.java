package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.contract.RunStreamPortContract;
import dev.runrelay.domain.port.Provider;

/** The stream contract every provider keeps, run against the sandbox. */
class SandboxRunStreamContractTest extends RunStreamPortContract {

    private final Provider provider = SandboxProvider.create(new SandboxSettings(7L, 2_000));

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

    @Override
    protected int streamRequests() {
        return -1;
    }
}
