package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.contract.RunPortContract;
import dev.runrelay.domain.contract.StreamedRuns;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.RunStatus;

/** The run contract every provider keeps, run against the sandbox. */
class SandboxRunContractTest extends RunPortContract {

    private static final String ASSISTANT = "asst_sandbox";
    private final Provider provider = SandboxProvider.create(new SandboxSettings(7L, 5_000));

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected RunIds completedRun() {
        return StreamedRuns.newThreadRun(provider, ASSISTANT, "Hello there", RunStatus.COMPLETED);
    }

    @Override
    protected WaitingRun waitingRun() {
        return StreamedRuns.newWaitingRun(provider, ASSISTANT, "What is the weather in Oslo?");
    }

    @Override
    protected String threadWithRuns(int count) {
        RunIds first = completedRun();
        for (int i = 1; i < count; i++) {
            StreamedRuns.nextRun(provider, first.threadId(), ASSISTANT, "Hello again", RunStatus.COMPLETED);
        }
        return first.threadId();
    }
}
