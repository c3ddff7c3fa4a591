package dev.runrelay.adapter.sandbox;

import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.concurrent.Flow;
import reactor.core.publisher.Flux;

/** Streamed runs. Cold: the run is created when the stream is subscribed. */
final class SandboxRunStreamAdapter implements RunStreamPort {

    private final SandboxWorld world;

    SandboxRunStreamAdapter(SandboxWorld world) {
        this.world = world;
    }

    @Override
    public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
        return FlowBridge.toFlow(Flux.defer(() -> world.createRun(command).events()));
    }

    @Override
    public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
        return FlowBridge.toFlow(Flux.defer(() -> world.createThreadAndRun(command).events()));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
        return FlowBridge.toFlow(Flux.defer(() -> world.submitToolOutputs(command).events()));
    }
}
