package dev.runrelay.domain.run;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static dev.runrelay.domain.fixtures.TestIds.ASSISTANT_ID;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.fixtures.TestCommands;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The run commands beyond their ids (ids: {@code IdValidationTest}; metadata: {@code MetadataValidationTest}). */
class RunCommandsTest {

    @Nested
    class CreateRun {

        @Test
        void defaults_noMessagesAndTheAssistantsOptions() {
            var command = new CreateRunCommand(THREAD_ID, ASSISTANT_ID, null, null);

            assertThat(command.additionalMessages()).isEmpty();
            assertThat(command.options()).isEqualTo(RunOptions.defaults());
        }

        @Test
        void nullMessage_isRejectedNamingItsIndex() {
            var messages = Arrays.asList(MessageInput.user("hi"), null);

            assertInvalidRequest(
                    () -> new CreateRunCommand(THREAD_ID, ASSISTANT_ID, messages, null), "additionalMessages[1]");
        }

        @Test
        void messages_areCopied() {
            var messages = new ArrayList<>(List.of(MessageInput.user("hi")));
            var command = new CreateRunCommand(THREAD_ID, ASSISTANT_ID, messages, null);

            messages.add(MessageInput.user("later"));

            assertThat(command.additionalMessages()).hasSize(1);
        }

        @Test
        void builder_buildsAValidCommand() {
            var command = TestCommands.aCreateRunCommand().withUserMessage("Hello").build();

            assertThat(command.additionalMessages()).containsExactly(MessageInput.user("Hello"));
        }
    }

    @Nested
    class CreateThreadAndRun {

        @Test
        void defaults_noMessagesNoMetadataAndTheAssistantsOptions() {
            var command = new CreateThreadAndRunCommand(ASSISTANT_ID, null, null, null);

            assertThat(command.messages()).isEmpty();
            assertThat(command.threadMetadata()).isEmpty();
            assertThat(command.options()).isEqualTo(RunOptions.defaults());
        }

        @Test
        void nullMessage_isRejectedNamingItsIndex() {
            var messages = Arrays.asList((MessageInput) null);

            assertInvalidRequest(() -> new CreateThreadAndRunCommand(ASSISTANT_ID, messages, null, null), "messages[0]");
        }
    }

    @Nested
    class ListRuns {

        @Test
        void withoutPage_asksForTheFirstPage() {
            assertThat(new ListRunsCommand(THREAD_ID, null).page()).isEqualTo(PageRequest.firstPage());
        }

        @Test
        void keepsTheGivenPage() {
            var page = new PageRequest(100, SortOrder.ASC, "run_a", null);

            assertThat(new ListRunsCommand(THREAD_ID, page).page()).isSameAs(page);
        }
    }

    @Nested
    class UpdateRun {

        @Test
        void missingMetadata_isRejected() {
            assertInvalidRequest(() -> new UpdateRunCommand(THREAD_ID, RUN_ID, null), "metadata");
        }

        @Test
        void emptyMetadata_isAccepted_toClearIt() {
            assertThat(new UpdateRunCommand(THREAD_ID, RUN_ID, java.util.Map.of()).metadata()).isEmpty();
        }
    }

    @Nested
    class SubmitToolOutputs {

        @Test
        void missingOutputs_areRejected() {
            assertInvalidRequest(() -> new SubmitToolOutputsCommand(THREAD_ID, RUN_ID, null), "toolOutputs");
        }

        @Test
        void noOutputs_areRejected() {
            assertInvalidRequest(() -> new SubmitToolOutputsCommand(THREAD_ID, RUN_ID, List.of()), "toolOutputs");
        }

        @Test
        void nullOutput_isRejectedNamingItsIndex() {
            var outputs = Arrays.asList(new ToolOutput("call_1", "ok"), null);

            assertInvalidRequest(() -> new SubmitToolOutputsCommand(THREAD_ID, RUN_ID, outputs), "toolOutputs[1]");
        }

        @Test
        void twoOutputsForOneToolCall_areRejected() {
            var outputs = List.of(new ToolOutput("call_1", "a"), new ToolOutput("call_2", "b"), new ToolOutput("call_1", "c"));

            assertInvalidRequest(() -> new SubmitToolOutputsCommand(THREAD_ID, RUN_ID, outputs), "toolOutputs");
        }

        @Test
        void outputsForDistinctToolCalls_areAcceptedInOrder() {
            var outputs = List.of(new ToolOutput("call_1", "a"), new ToolOutput("call_2", ""));

            assertThat(new SubmitToolOutputsCommand(THREAD_ID, RUN_ID, outputs).toolOutputs())
                    .extracting(ToolOutput::toolCallId)
                    .containsExactly("call_1", "call_2");
        }

        @Test
        void toolOutput_missingOutput_isRejected_butAnEmptyOneIsAllowed() {
            assertInvalidRequest(() -> new ToolOutput("call_1", null), "output");
            assertThat(new ToolOutput("call_1", "").output()).isEmpty();
        }

        @Test
        void builder_buildsAValidCommand() {
            assertThat(TestCommands.aSubmitToolOutputsCommand().build().toolOutputs()).hasSize(1);
        }
    }
}
