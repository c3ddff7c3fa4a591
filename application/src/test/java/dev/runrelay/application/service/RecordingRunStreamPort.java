package dev.runrelay.application.service;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Hands out a fresh cold publisher per call and remembers the command, so a test can tell whether the
 * service returned the provider's stream untouched. Nothing is sent until a subscriber asks.
 */
final class RecordingRunStreamPort implements RunStreamPort {

    final List<Object> received = new ArrayList<>();
    final List<Flow.Publisher<RunEvent>> handedOut = new ArrayList<>();
    int subscriptions;

    @Override
    public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
        return record(command);
    }

    @Override
    public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
        return record(command);
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
        return record(command);
    }

    private Flow.Publisher<RunEvent> record(Object command) {
        received.add(command);
        Flow.Publisher<RunEvent> publisher = subscriber -> subscriptions++;
        handedOut.add(publisher);
        return publisher;
    }
}
