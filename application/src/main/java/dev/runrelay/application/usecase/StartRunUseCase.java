package dev.runrelay.application.usecase;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.CreateRunCommand;
import java.util.concurrent.Flow;

/** Add the user's input to an existing thread, start a run, and stream its events. */
public interface StartRunUseCase {

    Flow.Publisher<RunEvent> startRun(CreateRunCommand command);
}
