package dev.runrelay.application.usecase;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.concurrent.Flow;

/** Answer the tool calls a run waits for, and stream the run as it goes on. */
public interface SubmitToolOutputsUseCase {

    Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command);
}
