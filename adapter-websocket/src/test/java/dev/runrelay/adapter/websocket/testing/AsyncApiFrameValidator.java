package dev.runrelay.adapter.websocket.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks frames of the runs socket against the AsyncAPI document of the protocol (docs/asyncapi.yaml,
 * on the test classpath as {@value #DOCUMENT}). The document's {@code receive} operation lists the
 * client frames, its {@code send} operation the server frames; each frame is checked against the
 * payload schema of the message whose {@code type} const it names. Thread-safe.
 */
public final class AsyncApiFrameValidator {

    static final String DOCUMENT = "runrelay/asyncapi.yaml";

    /** Who sends a frame: the client (the server receives it) or the server. */
    public enum Direction {
        CLIENT("receive"),
        SERVER("send");

        private final String action;

        Direction(String action) {
            this.action = action;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AsyncApiFrameValidator RUNS = load(DOCUMENT);

    private final Map<Direction, Map<String, Schema>> schemas;

    private AsyncApiFrameValidator(Map<Direction, Map<String, Schema>> schemas) {
        this.schemas = schemas;
    }

    /** The validator of docs/asyncapi.yaml. */
    public static AsyncApiFrameValidator runsProtocol() {
        return RUNS;
    }

    /** The frame types the document defines for one direction. */
    public java.util.Set<String> types(Direction direction) {
        return schemas.get(direction).keySet();
    }

    /** What is wrong with {@code frameText} as a frame sent in {@code direction}; empty when it conforms. */
    public List<String> problems(Direction direction, String frameText) {
        JsonNode frame;
        try {
            frame = JSON.readTree(frameText);
        } catch (JacksonException e) {
            return List.of("not JSON");
        }
        return problems(direction, frame);
    }

    public List<String> problems(Direction direction, JsonNode frame) {
        if (frame == null || !frame.isObject()) {
            return List.of("not a JSON object");
        }
        JsonNode type = frame.get("type");
        Schema schema = type == null || !type.isString() ? null : schemas.get(direction).get(type.asString());
        if (schema == null) {
            return List.of("type " + type + " is not a " + direction.name().toLowerCase(java.util.Locale.ROOT)
                    + " frame of the AsyncAPI document (expected one of " + types(direction) + ")");
        }
        return schema.validate(frame).stream().map(Error::toString).toList();
    }

    /** Throws an {@link AssertionError} naming the problems when the frame does not conform. */
    public void assertValid(Direction direction, String frameText) {
        List<String> problems = problems(direction, frameText);
        if (!problems.isEmpty()) {
            throw new AssertionError(direction + " frame does not match docs/asyncapi.yaml: " + problems
                    + "\n  frame: " + frameText);
        }
    }

    static AsyncApiFrameValidator load(String resource) {
        JsonNode document;
        try (InputStream in = AsyncApiFrameValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            document = YAMLMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        // Each payload schema is compiled inside a copy of the document's components, so that its
        // "#/components/schemas/…" references resolve as they do in the AsyncAPI document.
        JsonNode components = document.required("components");
        var byDirection = new HashMap<Direction, Map<String, Schema>>();
        for (Direction direction : Direction.values()) {
            byDirection.put(direction, new HashMap<>());
        }
        for (JsonNode operation : document.required("operations").values()) {
            Direction direction = operation.required("action").asString().equals("send")
                    ? Direction.SERVER
                    : Direction.CLIENT;
            for (JsonNode messageRef : operation.required("messages")) {
                JsonNode message = resolve(document, messageRef);
                JsonNode payloadRef = message.required("payload");
                JsonNode payload = resolve(document, payloadRef);
                String type = payload.path("properties").path("type").path("const").asString(null);
                if (type == null) {
                    throw new IllegalStateException("payload of " + messageRef + " names no type const");
                }
                ObjectNode schemaNode = JSON.createObjectNode();
                schemaNode.put("$ref", payloadRef.required("$ref").asString());
                schemaNode.set("components", components);
                byDirection.get(direction).put(type, registry.getSchema(schemaNode));
            }
        }
        return new AsyncApiFrameValidator(Map.of(
                Direction.CLIENT, Map.copyOf(byDirection.get(Direction.CLIENT)),
                Direction.SERVER, Map.copyOf(byDirection.get(Direction.SERVER))));
    }

    /** Follows {@code $ref}s (local JSON pointers) until a node without one. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            if (hops > 10) {
                throw new IllegalStateException("$ref loop at " + node);
            }
            String ref = current.get("$ref").asString();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local references are supported: " + ref);
            }
            current = document.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalStateException("unresolved reference " + ref);
            }
        }
        return current;
    }
}
