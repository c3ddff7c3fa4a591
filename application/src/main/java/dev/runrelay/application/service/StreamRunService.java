package dev.runrelay.application.service;

import dev.runrelay.application.recovery.RunRecovery;
import dev.runrelay.application.usecase.StartRunUseCase;
import dev.runrelay.application.usecase.StartThreadAndRunUseCase;
import dev.runrelay.application.usecase.SubmitToolOutputsUseCase;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * The streaming use cases: each one opens one provider stream and, when a {@link RunRecovery} is given,
 * makes sure a stream that breaks still tells the run's final status. Commands arrive already validated.
 */
public final class StreamRunService implements StartRunUseCase, StartThreadAndRunUseCase, SubmitToolOutputsUseCase {

    private final RunStreamPort runStreams;
    private final RunRecovery recovery;

    /** Hands the provider's streams on untouched (no recovery). */
    public StreamRunService(RunStreamPort runStreams) {
        this.runStreams = Objects.requireNonNull(runStreams, "runStreams");
        this.recovery = null;
    }

    public StreamRunService(RunStreamPort runStreams, RunRecovery recovery) {
        this.runStreams = Objects.requireNonNull(runStreams, "runStreams");
        this.recovery = Objects.requireNonNull(recovery, "recovery");
    }

    @Override
    public Flow.Publisher<RunEvent> startRun(CreateRunCommand command) {
        Commands.required(command);
        return recovering(runStreams.createAndStream(command), command.threadId(), null);
    }

    @Override
    public Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command) {
        Commands.required(command);
        return recovering(runStreams.createThreadAndRunAndStream(command), null, null);
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command) {
        Commands.required(command);
        return recovering(runStreams.submitToolOutputsAndStream(command), command.threadId(), command.runId());
    }

    /** The one place this layer crosses between the port's Flow.Publisher and Reactor. */
    private Flow.Publisher<RunEvent> recovering(Flow.Publisher<RunEvent> stream, String threadId, String runId) {
        if (recovery == null) {
            return stream;
        }
        return FlowBridge.toFlow(recovery.recovering(FlowBridge.toFlux(stream), threadId, runId));
    }
}
