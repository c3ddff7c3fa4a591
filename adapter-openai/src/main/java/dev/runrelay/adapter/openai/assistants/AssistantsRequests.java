package dev.runrelay.adapter.openai.assistants;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatText;
import com.openai.models.beta.assistants.AssistantTool;
import com.openai.models.beta.assistants.CodeInterpreterTool;
import com.openai.models.beta.assistants.FileSearchTool;
import com.openai.models.beta.assistants.FunctionTool;
import com.openai.models.beta.threads.AssistantResponseFormatOption;
import com.openai.models.beta.threads.AssistantToolChoice;
import com.openai.models.beta.threads.AssistantToolChoiceFunction;
import com.openai.models.beta.threads.AssistantToolChoiceOption;
import com.openai.models.beta.threads.ThreadCreateAndRunParams;
import com.openai.models.beta.threads.runs.RunCancelParams;
import com.openai.models.beta.threads.runs.RunCreateParams;
import com.openai.models.beta.threads.runs.RunListParams;
import com.openai.models.beta.threads.runs.RunRetrieveParams;
import com.openai.models.beta.threads.runs.RunSubmitToolOutputsParams;
import com.openai.models.beta.threads.runs.RunUpdateParams;
import com.openai.models.beta.threads.runs.steps.RunStepInclude;
import com.openai.models.beta.threads.runs.steps.StepListParams;
import com.openai.models.beta.threads.runs.steps.StepRetrieveParams;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.RunOptions;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolChoice;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.TruncationStrategy;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.StepInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Domain commands to openai-java request parameters: every optional value the command carries is sent. */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class AssistantsRequests {

    private AssistantsRequests() {}

    static RunCreateParams createRun(CreateRunCommand command) {
        RunOptions options = command.options();
        RunSettings settings = options.settings();
        RunCreateParams.Builder builder = RunCreateParams.builder()
                .threadId(command.threadId())
                .assistantId(command.assistantId());
        for (MessageInput message : command.additionalMessages()) {
            builder.addAdditionalMessage(RunCreateParams.AdditionalMessage.builder()
                    .role(message.role() == MessageInput.Role.USER
                            ? RunCreateParams.AdditionalMessage.Role.USER
                            : RunCreateParams.AdditionalMessage.Role.ASSISTANT)
                    .content(message.content())
                    .build());
        }
        if (options.model() != null) {
            builder.model(options.model());
        }
        if (options.instructions() != null) {
            builder.instructions(options.instructions());
        }
        if (options.additionalInstructions() != null) {
            builder.additionalInstructions(options.additionalInstructions());
        }
        if (options.tools() != null) {
            builder.tools(tools(options.tools()));
        }
        if (!options.metadata().isEmpty()) {
            builder.metadata(RunCreateParams.Metadata.builder()
                    .putAllAdditionalProperties(jsonValues(options.metadata())).build());
        }
        if (settings.temperature() != null) {
            builder.temperature(settings.temperature());
        }
        if (settings.topP() != null) {
            builder.topP(settings.topP());
        }
        if (settings.maxPromptTokens() != null) {
            builder.maxPromptTokens(settings.maxPromptTokens().longValue());
        }
        if (settings.maxCompletionTokens() != null) {
            builder.maxCompletionTokens(settings.maxCompletionTokens().longValue());
        }
        if (settings.truncationStrategy() != null) {
            TruncationStrategy strategy = settings.truncationStrategy();
            var truncation = RunCreateParams.TruncationStrategy.builder()
                    .type(strategy.type() == TruncationStrategy.Type.AUTO
                            ? RunCreateParams.TruncationStrategy.Type.AUTO
                            : RunCreateParams.TruncationStrategy.Type.LAST_MESSAGES);
            if (strategy.lastMessages() != null) {
                truncation.lastMessages(strategy.lastMessages().longValue());
            }
            builder.truncationStrategy(truncation.build());
        }
        if (settings.toolChoice() != null) {
            builder.toolChoice(toolChoice(settings.toolChoice()));
        }
        if (settings.parallelToolCalls() != null) {
            builder.parallelToolCalls(settings.parallelToolCalls());
        }
        if (settings.responseFormat() != null) {
            builder.responseFormat(responseFormat(settings.responseFormat()));
        }
        return builder.build();
    }

    static ThreadCreateAndRunParams createThreadAndRun(CreateThreadAndRunCommand command) {
        RunOptions options = command.options();
        RunSettings settings = options.settings();
        if (options.additionalInstructions() != null) {
            // POST /threads/runs has no additional_instructions; silently dropping it would be worse.
            throw new InvalidRequestException("options.additionalInstructions",
                    "is not supported when creating a thread and a run together; use instructions");
        }
        var thread = ThreadCreateAndRunParams.Thread.builder();
        for (MessageInput message : command.messages()) {
            thread.addMessage(ThreadCreateAndRunParams.Thread.Message.builder()
                    .role(message.role() == MessageInput.Role.USER
                            ? ThreadCreateAndRunParams.Thread.Message.Role.USER
                            : ThreadCreateAndRunParams.Thread.Message.Role.ASSISTANT)
                    .content(message.content())
                    .build());
        }
        if (!command.threadMetadata().isEmpty()) {
            thread.metadata(ThreadCreateAndRunParams.Thread.Metadata.builder()
                    .putAllAdditionalProperties(jsonValues(command.threadMetadata())).build());
        }
        ThreadCreateAndRunParams.Builder builder = ThreadCreateAndRunParams.builder()
                .assistantId(command.assistantId())
                .thread(thread.build());
        if (options.model() != null) {
            builder.model(options.model());
        }
        if (options.instructions() != null) {
            builder.instructions(options.instructions());
        }
        if (options.tools() != null) {
            builder.tools(tools(options.tools()));
        }
        if (!options.metadata().isEmpty()) {
            builder.metadata(ThreadCreateAndRunParams.Metadata.builder()
                    .putAllAdditionalProperties(jsonValues(options.metadata())).build());
        }
        if (settings.temperature() != null) {
            builder.temperature(settings.temperature());
        }
        if (settings.topP() != null) {
            builder.topP(settings.topP());
        }
        if (settings.maxPromptTokens() != null) {
            builder.maxPromptTokens(settings.maxPromptTokens().longValue());
        }
        if (settings.maxCompletionTokens() != null) {
            builder.maxCompletionTokens(settings.maxCompletionTokens().longValue());
        }
        if (settings.truncationStrategy() != null) {
            TruncationStrategy strategy = settings.truncationStrategy();
            var truncation = ThreadCreateAndRunParams.TruncationStrategy.builder()
                    .type(strategy.type() == TruncationStrategy.Type.AUTO
                            ? ThreadCreateAndRunParams.TruncationStrategy.Type.AUTO
                            : ThreadCreateAndRunParams.TruncationStrategy.Type.LAST_MESSAGES);
            if (strategy.lastMessages() != null) {
                truncation.lastMessages(strategy.lastMessages().longValue());
            }
            builder.truncationStrategy(truncation.build());
        }
        if (settings.toolChoice() != null) {
            builder.toolChoice(toolChoice(settings.toolChoice()));
        }
        if (settings.parallelToolCalls() != null) {
            builder.parallelToolCalls(settings.parallelToolCalls());
        }
        if (settings.responseFormat() != null) {
            builder.responseFormat(responseFormat(settings.responseFormat()));
        }
        return builder.build();
    }

    static RunRetrieveParams retrieve(RetrieveRunCommand command) {
        return RunRetrieveParams.builder().threadId(command.threadId()).runId(command.runId()).build();
    }

    static RunListParams list(ListRunsCommand command) {
        PageRequest page = command.page();
        return RunListParams.builder()
                .threadId(command.threadId())
                .limit((long) page.limit())
                .order(page.order() == SortOrder.ASC ? RunListParams.Order.ASC : RunListParams.Order.DESC)
                .after(page.after())
                .before(page.before())
                .build();
    }

    static RunUpdateParams update(UpdateRunCommand command) {
        return RunUpdateParams.builder()
                .threadId(command.threadId())
                .runId(command.runId())
                .metadata(RunUpdateParams.Metadata.builder()
                        .putAllAdditionalProperties(jsonValues(command.metadata())).build())
                .build();
    }

    static RunCancelParams cancel(CancelRunCommand command) {
        return RunCancelParams.builder().threadId(command.threadId()).runId(command.runId()).build();
    }

    static RunSubmitToolOutputsParams submitToolOutputs(SubmitToolOutputsCommand command) {
        var builder = RunSubmitToolOutputsParams.builder().threadId(command.threadId()).runId(command.runId());
        for (ToolOutput output : command.toolOutputs()) {
            builder.addToolOutput(RunSubmitToolOutputsParams.ToolOutput.builder()
                    .toolCallId(output.toolCallId())
                    .output(output.output())
                    .build());
        }
        return builder.build();
    }

    static StepListParams listSteps(ListRunStepsCommand command) {
        PageRequest page = command.page();
        return StepListParams.builder()
                .threadId(command.threadId())
                .runId(command.runId())
                .limit((long) page.limit())
                .order(page.order() == SortOrder.ASC ? StepListParams.Order.ASC : StepListParams.Order.DESC)
                .after(page.after())
                .before(page.before())
                .include(include(command.include()))
                .build();
    }

    static StepRetrieveParams retrieveStep(RetrieveRunStepCommand command) {
        return StepRetrieveParams.builder()
                .threadId(command.threadId())
                .runId(command.runId())
                .stepId(command.stepId())
                .include(include(command.include()))
                .build();
    }

    private static List<RunStepInclude> include(Set<StepInclude> include) {
        if (include.isEmpty()) {
            return null;
        }
        return include.stream().map(value -> RunStepInclude.of(value.wireValue())).toList();
    }

    private static List<AssistantTool> tools(List<Tool> tools) {
        return tools.stream().map(AssistantsRequests::tool).toList();
    }

    private static AssistantTool tool(Tool tool) {
        return switch (tool) {
            case Tool.CodeInterpreter ignored -> AssistantTool.ofCodeInterpreter(CodeInterpreterTool.builder().build());
            case Tool.FileSearch fileSearch -> {
                var builder = FileSearchTool.builder();
                if (fileSearch.maxNumResults() != null) {
                    builder.fileSearch(FileSearchTool.FileSearch.builder()
                            .maxNumResults(fileSearch.maxNumResults().longValue()).build());
                }
                yield AssistantTool.ofFileSearch(builder.build());
            }
            case Tool.Function function -> {
                var definition = FunctionDefinition.builder().name(function.name());
                if (function.description() != null) {
                    definition.description(function.description());
                }
                if (function.parametersJson() != null) {
                    definition.parameters(FunctionParameters.builder()
                            .putAllAdditionalProperties(parseSchema(function.parametersJson())).build());
                }
                if (function.strict() != null) {
                    definition.strict(function.strict());
                }
                yield AssistantTool.ofFunction(FunctionTool.builder().function(definition.build()).build());
            }
        };
    }

    private static Map<String, JsonValue> parseSchema(String json) {
        try {
            Map<String, Object> schema = ObjectMappers.jsonMapper().readValue(json, new TypeReference<>() {});
            Map<String, JsonValue> values = new LinkedHashMap<>();
            schema.forEach((key, value) -> values.put(key, JsonValue.from(value)));
            return values;
        } catch (Exception notAnObject) {
            throw new InvalidRequestException("tools.function.parameters", "must be a JSON object (a JSON Schema)");
        }
    }

    private static AssistantToolChoiceOption toolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case AUTO -> AssistantToolChoiceOption.ofAuto(AssistantToolChoiceOption.Auto.AUTO);
            case NONE -> AssistantToolChoiceOption.ofAuto(AssistantToolChoiceOption.Auto.NONE);
            case REQUIRED -> AssistantToolChoiceOption.ofAuto(AssistantToolChoiceOption.Auto.REQUIRED);
            case FUNCTION -> AssistantToolChoiceOption.ofAssistantToolChoice(AssistantToolChoice.builder()
                    .type(AssistantToolChoice.Type.FUNCTION)
                    .function(AssistantToolChoiceFunction.builder().name(choice.functionName()).build())
                    .build());
        };
    }

    private static AssistantResponseFormatOption responseFormat(String format) {
        return switch (format) {
            case "text" -> AssistantResponseFormatOption.ofResponseFormatText(ResponseFormatText.builder().build());
            case "json_object" -> AssistantResponseFormatOption.ofResponseFormatJsonObject(
                    ResponseFormatJsonObject.builder().build());
            default -> AssistantResponseFormatOption.ofAuto();
        };
    }

    private static Map<String, JsonValue> jsonValues(Map<String, String> metadata) {
        Map<String, JsonValue> values = new LinkedHashMap<>();
        metadata.forEach((key, value) -> values.put(key, JsonValue.from(value)));
        return values;
    }
}
