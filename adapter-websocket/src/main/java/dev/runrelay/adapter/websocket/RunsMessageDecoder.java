package dev.runrelay.adapter.websocket;

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
import dev.runrelay.domain.shared.Check;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.StepInclude;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Turns one client frame into a validated {@link ClientRequest}, or throws a {@link ProtocolException}
 * with a stable code that names the problem. Thread-safe; never throws anything else for any input.
 */
final class RunsMessageDecoder {

    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final JsonMapper mapper;

    RunsMessageDecoder(JsonMapper mapper) {
        this.mapper = strict(mapper);
    }

    /**
     * A field of the wrong JSON type is a client mistake, never a value to convert: no number, boolean
     * or float becomes a string ({@code "assistantId": 42}), no string becomes a number or boolean
     * ({@code "temperature": "0.5"}, {@code "parallelToolCalls": "true"}), no fraction becomes an
     * integer. An integer is still a valid number ({@code "temperature": 1}).
     */
    private static JsonMapper strict(JsonMapper mapper) {
        return mapper.rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, textual -> textual
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, integer -> integer
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .build();
    }

    ClientRequest decode(byte[] payload) {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JacksonException e) {
            throw ProtocolException.of(ProtocolException.INVALID_JSON, "The frame is not valid JSON.", null);
        }
        if (root == null || !root.isObject()) {
            throw ProtocolException.invalidField("frame", "must be a JSON object", null);
        }
        String requestId = requestId(root.get("requestId"));
        JsonNode typeNode = root.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw ProtocolException.invalidField("type", "is required", requestId);
        }
        if (!typeNode.isString()) {
            throw ProtocolException.invalidField("type", "must be a string", requestId);
        }
        String type = typeNode.asString();
        if (type.equals("ping")) {
            return new ClientRequest.Ping(requestId);
        }
        if (!isKnown(type)) {
            throw ProtocolException.of(ProtocolException.UNKNOWN_TYPE,
                    "Unknown frame type; expected one of run, submit_tool_outputs, cancel, get_run, list_runs, "
                            + "update_run, list_steps, get_step, resume, ping.", requestId);
        }
        if (requestId == null) {
            throw ProtocolException.invalidField("requestId", "is required", null);
        }
        try {
            return switch (type) {
                case "run" -> run(requestId, bind(root, RunMessage.class));
                case "submit_tool_outputs" -> {
                    var message = bind(root, SubmitToolOutputsMessage.class);
                    yield new ClientRequest.SubmitToolOutputs(requestId, new SubmitToolOutputsCommand(
                            message.threadId(), message.runId(), toolOutputs(message.toolOutputs())));
                }
                case "cancel" -> {
                    var message = bind(root, RunRef.class);
                    yield new ClientRequest.Cancel(requestId, new CancelRunCommand(message.threadId(), message.runId()));
                }
                case "get_run" -> {
                    var message = bind(root, RunRef.class);
                    yield new ClientRequest.GetRun(requestId,
                            new RetrieveRunCommand(message.threadId(), message.runId()));
                }
                case "list_runs" -> {
                    var message = bind(root, ListMessage.class);
                    yield new ClientRequest.ListRuns(requestId,
                            new ListRunsCommand(message.threadId(), message.page()));
                }
                case "update_run" -> {
                    var message = bind(root, UpdateRunMessage.class);
                    yield new ClientRequest.UpdateRun(requestId,
                            new UpdateRunCommand(message.threadId(), message.runId(), message.metadata()));
                }
                case "list_steps" -> {
                    var message = bind(root, ListMessage.class);
                    yield new ClientRequest.ListSteps(requestId, new ListRunStepsCommand(
                            message.threadId(), message.runId(), message.page(), include(message.include())));
                }
                case "get_step" -> {
                    var message = bind(root, GetStepMessage.class);
                    yield new ClientRequest.GetStep(requestId, new RetrieveRunStepCommand(message.threadId(),
                            message.runId(), message.stepId(), include(message.include())));
                }
                case "resume" -> {
                    var message = bind(root, ResumeMessage.class);
                    Check.id("runId", message.runId());
                    if (message.afterSeq() == null) {
                        throw new InvalidRequestException("afterSeq", "is required");
                    }
                    if (message.afterSeq() < 0) {
                        throw new InvalidRequestException("afterSeq", "must be 0 or more");
                    }
                    yield new ClientRequest.Resume(requestId, message.runId(), message.afterSeq());
                }
                default -> throw new IllegalStateException("unreachable: " + type);
            };
        } catch (InvalidRequestException e) {
            throw ProtocolException.invalidField(e.field(), e.getMessage().substring(e.field().length() + 2),
                    requestId);
        }
    }

    private static boolean isKnown(String type) {
        return switch (type) {
            case "run", "submit_tool_outputs", "cancel", "get_run", "list_runs", "update_run", "list_steps",
                    "get_step", "resume" -> true;
            default -> false;
        };
    }

    private static String requestId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() || node.asString().isEmpty() || node.asString().length() > MAX_REQUEST_ID_LENGTH) {
            throw ProtocolException.invalidField(
                    "requestId", "must be a string of 1 to " + MAX_REQUEST_ID_LENGTH + " characters", null);
        }
        return node.asString();
    }

    private <T> T bind(JsonNode root, Class<T> type) {
        try {
            return mapper.treeToValue(root, type);
        } catch (JacksonException e) {
            String field = fieldOf(e);
            throw new InvalidRequestException(field, "has the wrong JSON type or shape");
        }
    }

    /** The JSON path of a binding failure, e.g. {@code toolOutputs[0].output}. */
    private static String fieldOf(JacksonException e) {
        var path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "frame" : path.toString();
    }

    private ClientRequest run(String requestId, RunMessage message) {
        RunOptions options = new RunOptions(message.model(), message.instructions(), message.additionalInstructions(),
                tools(message.tools()), message.metadata(), new RunSettings(message.temperature(), message.topP(),
                        message.maxPromptTokens(), message.maxCompletionTokens(),
                        truncation(message.truncationStrategy()), toolChoice(message.toolChoice()),
                        message.parallelToolCalls(), message.responseFormat()));
        if (message.input() != null && message.input().isBlank()) {
            throw new InvalidRequestException("input", "must not be blank when given");
        }
        List<MessageInput> input = message.input() == null ? List.of() : List.of(MessageInput.user(message.input()));
        if (message.threadId() != null) {
            if (message.threadMetadata() != null) {
                throw new InvalidRequestException("threadMetadata", "applies only when a new thread is created");
            }
            return new ClientRequest.StartRun(requestId,
                    new CreateRunCommand(message.threadId(), message.assistantId(), input, options));
        }
        return new ClientRequest.StartThreadAndRun(requestId,
                new CreateThreadAndRunCommand(message.assistantId(), input, message.threadMetadata(), options));
    }

    private static List<ToolOutput> toolOutputs(List<ToolOutputMessage> outputs) {
        if (outputs == null) {
            return null;
        }
        var result = new ArrayList<ToolOutput>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            ToolOutputMessage output = outputs.get(i);
            if (output == null) {
                throw new InvalidRequestException("toolOutputs[" + i + "]", "must be an object");
            }
            try {
                result.add(new ToolOutput(output.toolCallId(), output.output()));
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException("toolOutputs[" + i + "]." + e.field(),
                        e.getMessage().substring(e.field().length() + 2));
            }
        }
        return result;
    }

    private List<Tool> tools(List<ToolMessage> tools) {
        if (tools == null) {
            return null;
        }
        var result = new ArrayList<Tool>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            ToolMessage tool = tools.get(i);
            String field = "tools[" + i + "]";
            if (tool == null || tool.type() == null) {
                throw new InvalidRequestException(field + ".type", "is required");
            }
            result.add(switch (tool.type()) {
                case "code_interpreter" -> new Tool.CodeInterpreter();
                case "file_search" -> new Tool.FileSearch(tool.maxNumResults());
                case "function" -> new Tool.Function(tool.name(), tool.description(),
                        tool.parameters() == null || tool.parameters().isNull()
                                ? null
                                : mapper.writeValueAsString(tool.parameters()),
                        tool.strict());
                default -> throw new InvalidRequestException(
                        field + ".type", "must be 'code_interpreter', 'file_search' or 'function'");
            });
        }
        return result;
    }

    private static TruncationStrategy truncation(TruncationMessage truncation) {
        if (truncation == null) {
            return null;
        }
        if (truncation.type() == null) {
            throw new InvalidRequestException("truncationStrategy.type", "is required");
        }
        return switch (truncation.type()) {
            case "auto" -> new TruncationStrategy(TruncationStrategy.Type.AUTO, null);
            case "last_messages" -> new TruncationStrategy(TruncationStrategy.Type.LAST_MESSAGES, truncation.lastMessages());
            default -> throw new InvalidRequestException("truncationStrategy.type", "must be 'auto' or 'last_messages'");
        };
    }

    /** {@code "auto"|"none"|"required"}, or {@code {"type":"function","name":"…"}}. */
    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isString()) {
            return switch (choice.asString()) {
                case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
                case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
                case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
                default -> throw new InvalidRequestException("toolChoice", "must be 'auto', 'none', 'required' or a function");
            };
        }
        JsonNode type = choice.get("type");
        JsonNode name = choice.get("name");
        if (choice.isObject() && type != null && type.isString() && type.asString().equals("function")
                && name != null && name.isString()) {
            return ToolChoice.function(name.asString());
        }
        throw new InvalidRequestException("toolChoice", "must be 'auto', 'none', 'required' or {\"type\":\"function\",\"name\":…}");
    }

    private static Set<StepInclude> include(List<String> include) {
        if (include == null || include.isEmpty()) {
            return Set.of();
        }
        var result = EnumSet.noneOf(StepInclude.class);
        for (int i = 0; i < include.size(); i++) {
            String value = include.get(i);
            StepInclude match = null;
            for (StepInclude candidate : StepInclude.values()) {
                if (candidate.wireValue().equals(value) || candidate.name().equalsIgnoreCase(value)) {
                    match = candidate;
                }
            }
            if (match == null) {
                throw new InvalidRequestException("include[" + i + "]",
                        "must be '" + StepInclude.FILE_SEARCH_RESULT_CONTENT.wireValue() + "'");
            }
            result.add(match);
        }
        return result;
    }

    // The JSON shapes of the client frames; unknown fields are ignored, commands validate the rest.

    record RunMessage(
            String assistantId, String threadId, String input, Map<String, String> threadMetadata, String model,
            String instructions, String additionalInstructions, Map<String, String> metadata, List<ToolMessage> tools,
            Double temperature, Double topP, Integer maxPromptTokens, Integer maxCompletionTokens,
            TruncationMessage truncationStrategy, JsonNode toolChoice, Boolean parallelToolCalls,
            String responseFormat) {}

    record ToolMessage(String type, Integer maxNumResults, String name, String description, JsonNode parameters,
            Boolean strict) {}

    record TruncationMessage(String type, Integer lastMessages) {}

    record SubmitToolOutputsMessage(String threadId, String runId, List<ToolOutputMessage> toolOutputs) {}

    record ToolOutputMessage(String toolCallId, String output) {}

    record RunRef(String threadId, String runId) {}

    record UpdateRunMessage(String threadId, String runId, Map<String, String> metadata) {}

    record ResumeMessage(String runId, Long afterSeq) {}

    record GetStepMessage(String threadId, String runId, String stepId, List<String> include) {}

    record ListMessage(String threadId, String runId, Integer limit, String order, String after, String before,
            List<String> include) {
        PageRequest page() {
            return PageRequest.of(limit, order == null ? null : SortOrder.fromWire("order", order), after, before);
        }
    }
}
