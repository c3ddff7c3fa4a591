package dev.runrelay.application.service;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.runrelay.domain.fixtures.TestCommands;
import org.junit.jupiter.api.Test;

class StreamRunServiceTest {

    private final RecordingRunStreamPort streams = new RecordingRunStreamPort();
    private final StreamRunService service = new StreamRunService(streams);

    @Test
    void startRun_returnsTheProvidersStreamUntouched() {
        var command = TestCommands.aCreateRunCommand().build();

        var events = service.startRun(command);

        assertThat(events).isSameAs(streams.handedOut.getFirst());
        assertThat(streams.received).containsExactly(command);
    }

    @Test
    void startThreadAndRun_returnsTheProvidersStreamUntouched() {
        var command = TestCommands.aCreateThreadAndRunCommand().build();

        var events = service.startThreadAndRun(command);

        assertThat(events).isSameAs(streams.handedOut.getFirst());
        assertThat(streams.received).containsExactly(command);
    }

    @Test
    void submitToolOutputs_returnsTheProvidersStreamUntouched() {
        var command = TestCommands.aSubmitToolOutputsCommand().build();

        var events = service.submitToolOutputs(command);

        assertThat(events).isSameAs(streams.handedOut.getFirst());
        assertThat(streams.received).containsExactly(command);
    }

    @Test
    void startingAStream_doesNotSubscribeIt() {
        service.startRun(TestCommands.aCreateRunCommand().build());

        assertThat(streams.subscriptions).as("the stream stays cold until the caller subscribes").isZero();
    }

    @Test
    void nullCommand_isRefusedNamingTheCommand_andNoStreamIsOpened() {
        assertInvalidRequest(() -> service.startRun(null), "command");
        assertInvalidRequest(() -> service.startThreadAndRun(null), "command");
        assertInvalidRequest(() -> service.submitToolOutputs(null), "command");

        assertThat(streams.received).isEmpty();
    }

    @Test
    void needsARunStreamPort() {
        assertThatNullPointerException().isThrownBy(() -> new StreamRunService(null)).withMessage("runStreams");
    }
}
