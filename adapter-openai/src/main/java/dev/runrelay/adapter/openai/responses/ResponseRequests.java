package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatText;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ItemCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FileSearchTool;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponsePrompt;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceFunction;
import com.openai.models.responses.ToolChoiceOptions;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunOptions;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolOutput;
import dev.runrelay.domain.run.TruncationStrategy;
import java.util.List;
import java.util.Map;

/** Turns the domain's run commands into Responses and Conversations requests. */
final class ResponseRequests {

    static final String PROMPT_PREFIX = "pmpt_";
    /** Outputs the stream needs for code_output and file-search events. */
    static final List<ResponseIncludable> INCLUDE =
            List.of(ResponseIncludable.CODE_INTERPRETER_CALL_OUTPUTS, ResponseIncludable.FILE_SEARCH_CALL_RESULTS);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResponsesSettings settings;

    ResponseRequests(ResponsesSettings settings) {
        this.settings = settings;
    }

    /** The profile an assistant id names, or null for a stored prompt; unknown ids are invalid. */
    AssistantProfile profile(String assistantId) {
        if (assistantId.startsWith(PROMPT_PREFIX)) {
            return null;
        }
        AssistantProfile profile = settings.profiles().get(assistantId);
        if (profile == null) {
            throw new InvalidRequestException("assistantId",
                    "no assistant profile named '" + assistantId + "' is configured (and it is not a pmpt_ prompt id)");
        }
        return profile;
    }

    /** The model a run will use, as far as the gateway knows before the response says. */
    String model(String assistantId, RunOptions options) {
        AssistantProfile profile = profile(assistantId);
        return options.model() != null ? options.model() : profile == null ? null : profile.model();
    }

    /** A new turn of an assistant in a conversation, starting with {@code messages}. */
    ResponseCreateParams newTurn(
            String conversationId, String assistantId, List<MessageInput> messages, RunOptions options) {
        AssistantProfile profile = profile(assistantId);
        var params = base(conversationId);
        params.inputOfResponse(messages.stream().map(ResponseRequests::message).toList());
        if (profile == null) {
            params.prompt(ResponsePrompt.builder().id(assistantId).build());
        }
        String model = options.model() != null ? options.model() : profile == null ? null : profile.model();
        if (model != null) {
            params.model(model);
        }
        String instructions = options.instructions() != null
                ? options.instructions()
                : profile == null ? null : profile.instructions();
        if (options.additionalInstructions() != null) {
            instructions = instructions == null
                    ? options.additionalInstructions()
                    : instructions + "\n\n" + options.additionalInstructions();
        }
        if (instructions != null) {
            params.instructions(instructions);
        }
        List<Tool> tools = options.tools() != null ? options.tools() : profile == null ? List.of() : profile.tools();
        for (Tool tool : tools) {
            addTool(params, tool, profile);
        }
        RunSettings run = options.settings();
        Double temperature = run.temperature() != null ? run.temperature() : profile == null ? null : profile.temperature();
        if (temperature != null) {
            params.temperature(temperature);
        }
        if (run.topP() != null) {
            params.topP(run.topP());
        }
        if (run.maxCompletionTokens() != null) {
            params.maxOutputTokens(run.maxCompletionTokens().longValue());
        }
        if (run.maxPromptTokens() != null) {
            throw unsupported("maxPromptTokens: the Responses API has no prompt-token budget");
        }
        if (run.truncationStrategy() != null) {
            if (run.truncationStrategy().type() == TruncationStrategy.Type.LAST_MESSAGES) {
                throw unsupported("truncationStrategy last_messages: the Responses API truncates 'auto' or not at all");
            }
            truncateAutomatically(params);
        }
        if (run.toolChoice() != null) {
            switch (run.toolChoice().mode()) {
                case AUTO -> params.toolChoice(ToolChoiceOptions.AUTO);
                case NONE -> params.toolChoice(ToolChoiceOptions.NONE);
                case REQUIRED -> params.toolChoice(ToolChoiceOptions.REQUIRED);
                case FUNCTION -> params.toolChoice(ToolChoiceFunction.builder().name(run.toolChoice().functionName()).build());
            }
        }
        if (run.parallelToolCalls() != null) {
            params.parallelToolCalls(run.parallelToolCalls());
        }
        if ("json_object".equals(run.responseFormat())) {
            params.text(ResponseTextConfig.builder().format(ResponseFormatJsonObject.builder().build()).build());
        } else if ("text".equals(run.responseFormat())) {
            params.text(ResponseTextConfig.builder().format(ResponseFormatText.builder().build()).build());
        }
        if (!options.metadata().isEmpty()) {
            params.metadata(metadata(options.metadata()));
        }
        return params.build();
    }

    /** openai-java marks {@code truncation} deprecated, but the API still takes it; it is Assistants' 'auto'. */
    @SuppressWarnings("deprecation")
    private static void truncateAutomatically(ResponseCreateParams.Builder params) {
        params.truncation(ResponseCreateParams.Truncation.AUTO);
    }

    /** The continuation of a run after the client answered its function calls. */
    ResponseCreateParams continuation(String conversationId, String model, List<ToolOutput> outputs) {
        var params = base(conversationId);
        params.inputOfResponse(outputs.stream().map(o -> functionOutput(o.toolCallId(), o.output())).toList());
        if (model != null) {
            params.model(model);
        }
        return params.build();
    }

    /** Answers calls nobody will answer any more, so the conversation accepts new input again. */
    static ItemCreateParams closingOutputs(String conversationId, List<RequiredToolCall> calls, String reason) {
        var params = ItemCreateParams.builder().conversationId(conversationId);
        for (RequiredToolCall call : calls) {
            params.addItem(functionOutput(call.id(), "{\"error\":\"" + reason + "\"}"));
        }
        return params.build();
    }

    static ConversationCreateParams newConversation(Map<String, String> metadata) {
        var params = ConversationCreateParams.builder();
        if (!metadata.isEmpty()) {
            var json = ConversationCreateParams.Metadata.builder();
            metadata.forEach((key, value) -> json.putAdditionalProperty(key, JsonValue.from(value)));
            params.metadata(json.build());
        }
        return params.build();
    }

    private static ResponseCreateParams.Builder base(String conversationId) {
        return ResponseCreateParams.builder()
                .conversation(conversationId)
                .background(true)
                .store(true)
                .include(INCLUDE);
    }

    private static ResponseInputItem message(MessageInput message) {
        return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(message.role() == MessageInput.Role.USER ? EasyInputMessage.Role.USER : EasyInputMessage.Role.ASSISTANT)
                .content(message.content())
                .build());
    }

    private static ResponseInputItem functionOutput(String callId, String output) {
        return ResponseInputItem.ofFunctionCallOutput(
                ResponseInputItem.FunctionCallOutput.builder().callId(callId).output(output).build());
    }

    private static void addTool(ResponseCreateParams.Builder params, Tool tool, AssistantProfile profile) {
        switch (tool) {
            case Tool.Function function -> {
                var builder = FunctionTool.builder().name(function.name()).description(function.description())
                        .strict(function.strict() != null ? function.strict() : Boolean.FALSE)
                        .parameters(parameters(function));
                params.addTool(builder.build());
            }
            case Tool.CodeInterpreter ignored -> {
                var container = com.openai.models.responses.Tool.CodeInterpreter.Container.CodeInterpreterToolAuto.builder();
                if (profile != null && !profile.codeInterpreterFileIds().isEmpty()) {
                    container.fileIds(profile.codeInterpreterFileIds());
                }
                params.addTool(com.openai.models.responses.Tool.CodeInterpreter.builder().container(container.build()).build());
            }
            case Tool.FileSearch fileSearch -> {
                if (profile == null || profile.vectorStoreIds().isEmpty()) {
                    throw new InvalidRequestException("tools.file_search",
                            "needs vector store ids: configure them in the assistant profile");
                }
                var builder = FileSearchTool.builder().vectorStoreIds(profile.vectorStoreIds());
                if (fileSearch.maxNumResults() != null) {
                    builder.maxNumResults(fileSearch.maxNumResults().longValue());
                }
                params.addTool(builder.build());
            }
        }
    }

    private static FunctionTool.Parameters parameters(Tool.Function function) {
        var parameters = FunctionTool.Parameters.builder();
        if (function.parametersJson() == null) {
            parameters.putAdditionalProperty("type", JsonValue.from("object"));
            parameters.putAdditionalProperty("properties", JsonValue.from(Map.of()));
            return parameters.build();
        }
        try {
            var node = JSON.readTree(function.parametersJson());
            if (!node.isObject()) {
                throw new InvalidRequestException("tools.function.parameters", "must be a JSON object");
            }
            node.properties().forEach(member -> parameters.putAdditionalProperty(member.getKey(), JsonValue.fromJsonNode(member.getValue())));
            return parameters.build();
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("tools.function.parameters", "is not valid JSON");
        }
    }

    private static ResponseCreateParams.Metadata metadata(Map<String, String> metadata) {
        var json = ResponseCreateParams.Metadata.builder();
        metadata.forEach((key, value) -> json.putAdditionalProperty(key, JsonValue.from(value)));
        return json.build();
    }

    static RunRelayException unsupported(String what) {
        return new RunRelayException(ErrorCode.UNSUPPORTED_OPERATION, "The OpenAI Responses provider does not support " + what);
    }
}
