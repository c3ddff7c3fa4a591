package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.contract.RunPortContract.RunIds;
import dev.runrelay.domain.contract.RunStepPortContract;
import dev.runrelay.domain.contract.StreamedRuns;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.RunStatus;

/** The step contract every provider keeps, run against the sandbox. */
class SandboxRunStepContractTest extends RunStepPortContract {

    private final Provider provider = SandboxProvider.create(new SandboxSettings(7L, 5_000));

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected RunIds completedTextRun() {
        return StreamedRuns.newThreadRun(provider, "asst_sandbox", "Hello there", RunStatus.COMPLETED);
    }
}
