package dev.runrelay.domain.port;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.concurrent.Flow;

/**
 * A provider's run streams. Each publisher is cold: nothing is sent to the provider until it is
 * subscribed, and cancelling the subscription closes the upstream stream. Each stream ends with
 * {@link RunEvent.StreamEnded}, or with {@code onError} carrying the failure. See docs/adr/0002 for
 * why the type is {@link Flow.Publisher}.
 */
public interface RunStreamPort {

    Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command);

    Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command);

    Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command);
}
