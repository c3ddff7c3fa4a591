package dev.runrelay.adapter.websocket;

import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;

/** A decoded, validated client frame: one per {@code type} of the protocol. */
sealed interface ClientRequest {

    /** Null only for {@code ping}, where it is optional. */
    String requestId();

    /** Requests answered by a stream of frames ending with {@code end}. */
    sealed interface Streaming extends ClientRequest {
        String threadId();

        String runId();
    }

    record Ping(String requestId) implements ClientRequest {}

    record StartRun(String requestId, CreateRunCommand command) implements Streaming {
        @Override
        public String threadId() {
            return command.threadId();
        }

        @Override
        public String runId() {
            return null;
        }
    }

    record StartThreadAndRun(String requestId, CreateThreadAndRunCommand command) implements Streaming {
        @Override
        public String threadId() {
            return null;
        }

        @Override
        public String runId() {
            return null;
        }
    }

    record SubmitToolOutputs(String requestId, SubmitToolOutputsCommand command) implements Streaming {
        @Override
        public String threadId() {
            return command.threadId();
        }

        @Override
        public String runId() {
            return command.runId();
        }
    }

    record Cancel(String requestId, CancelRunCommand command) implements ClientRequest {}

    record GetRun(String requestId, RetrieveRunCommand command) implements ClientRequest {}

    record ListRuns(String requestId, ListRunsCommand command) implements ClientRequest {}

    record UpdateRun(String requestId, UpdateRunCommand command) implements ClientRequest {}

    record ListSteps(String requestId, ListRunStepsCommand command) implements ClientRequest {}

    record GetStep(String requestId, RetrieveRunStepCommand command) implements ClientRequest {}

    /** Replays a run's stream from its log after {@code afterSeq}, then follows it live to {@code end}. */
    record Resume(String requestId, String runId, long afterSeq) implements ClientRequest {}
}
