package dev.runrelay.application.service;

import dev.runrelay.application.usecase.StartRunUseCase;
import dev.runrelay.application.usecase.StartThreadAndRunUseCase;
import dev.runrelay.application.usecase.SubmitToolOutputsUseCase;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.Objects;
import java.util.concurrent.Flow;

/** The streaming use cases: each one opens one provider stream. Commands arrive already validated. */
public final class StreamRunService implements StartRunUseCase, StartThreadAndRunUseCase, SubmitToolOutputsUseCase {

    private final RunStreamPort runStreams;

    public StreamRunService(RunStreamPort runStreams) {
        this.runStreams = Objects.requireNonNull(runStreams, "runStreams");
    }

    @Override
    public Flow.Publisher<RunEvent> startRun(CreateRunCommand command) {
        return runStreams.createAndStream(Commands.required(command));
    }

    @Override
    public Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command) {
        return runStreams.createThreadAndRunAndStream(Commands.required(command));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command) {
        return runStreams.submitToolOutputsAndStream(Commands.required(command));
    }
}
