package dev.runrelay.domain.port;

import dev.runrelay.domain.event.RunEvent;
import java.util.concurrent.Flow;

/**
 * Continues a run's stream on an instance that did not start it: the instance that read the run's
 * upstream is gone, a client resumed the run elsewhere, and this instance now reads what the provider
 * still has of the run (docs/adr/0025).
 *
 * <p>The events may repeat what the run's log already holds (a background response is re-read from
 * its start, a polled run's messages come whole): the caller keeps only what was not delivered. The
 * publisher is cold, ends with {@link RunEvent.StreamEnded} when the run ends or waits for tool outputs,
 * or with {@code onError}; cancelling it stops reading the provider (it never cancels the run).
 */
public interface RunTakeoverPort {

    /** The events of run {@code runId} of thread {@code threadId} from the provider's state on, to its end. */
    Flow.Publisher<RunEvent> continueStream(String threadId, String runId);
}
