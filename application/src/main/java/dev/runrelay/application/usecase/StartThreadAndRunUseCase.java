package dev.runrelay.application.usecase;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import java.util.concurrent.Flow;

/** Create a thread with the user's input, start a run on it, and stream its events. */
public interface StartThreadAndRunUseCase {

    Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command);
}
