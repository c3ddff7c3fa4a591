package dev.runrelay.adapter.websocket;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for the wire, with Jackson 3 (the one Spring Boot 4 manages). Each frame is serialized once,
 * straight to bytes, and wrapped (not copied) into the session's buffer.
 */
final class FrameCodec {

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
        return mapper.writeValueAsBytes(frame);
    }

    WebSocketMessage encode(WebSocketSession session, ServerFrame frame) {
        return new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(toBytes(frame)));
    }
}
