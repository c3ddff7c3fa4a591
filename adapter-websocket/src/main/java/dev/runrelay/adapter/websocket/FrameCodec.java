package dev.runrelay.adapter.websocket;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runrelay.adapter.websocket.ServerFrame.ChunkFrame;
import java.io.ByteArrayOutputStream;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for the wire, with Jackson 3 (the one Spring Boot 4 manages). Each frame is serialized once,
 * straight to bytes, and wrapped (not copied) into the session's buffer.
 *
 * <p>A {@code chunk} (nearly every frame of a stream) is written member by member with the mapper's own
 * generator, to the same bytes the mapper writes for it (a test compares them), without the bean serializer's
 * reflective reads of seven record components per frame (docs/adr/0038).
 */
final class FrameCodec {

    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString CHUNK = new SerializedString("chunk");
    private static final SerializableString REQUEST_ID = new SerializedString("requestId");
    private static final SerializableString THREAD_ID = new SerializedString("threadId");
    private static final SerializableString RUN_ID = new SerializedString("runId");
    private static final SerializableString SEQ = new SerializedString("seq");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString MESSAGE_ID = new SerializedString("messageId");

    private final JsonMapper mapper;

    FrameCodec() {
        this.mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .changeDefaultPropertyInclusion(include -> include.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
    }

    JsonMapper mapper() {
        return mapper;
    }

    byte[] toBytes(ServerFrame frame) {
        if (frame instanceof ChunkFrame chunk) {
            return chunk(chunk);
        }
        return mapper.writeValueAsBytes(frame);
    }

    WebSocketMessage encode(WebSocketSession session, ServerFrame frame) {
        return new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(toBytes(frame)));
    }

    /** What the mapper writes for a chunk: its members in the record's order (type first), nulls left out. */
    private byte[] chunk(ChunkFrame chunk) {
        String message = chunk.message();
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + (message == null ? 0 : message.length() * 3));
        try (JsonGenerator json = mapper.createGenerator(out)) {
            json.writeStartObject();
            json.writeName(TYPE);
            json.writeString(CHUNK);
            optional(json, REQUEST_ID, chunk.requestId());
            optional(json, THREAD_ID, chunk.threadId());
            optional(json, RUN_ID, chunk.runId());
            json.writeName(SEQ);
            json.writeNumber(chunk.seq());
            optional(json, MESSAGE, message);
            optional(json, MESSAGE_ID, chunk.messageId());
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator json, SerializableString name, String value) {
        if (value != null) {
            json.writeName(name);
            json.writeString(value);
        }
    }
}
