package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.OpenAIInvalidDataException;
import java.util.Set;

/**
 * One Responses stream event as the stream path reads it (ADR 0031): its type, its sequence number, and the
 * members the run mapping uses, null where the event has none. Bound by {@link dev.runrelay.adapter.openai.PlainJson#MAPPER} (text
 * deltas by {@link ResponseEventStream}'s single pass), not by openai-java.
 *
 * @param sequenceNumber -1 when the event has none
 * @param response the response of {@code response.created/in_progress/queued} and the terminal events
 * @param item the output item of {@code response.output_item.added/done}
 * @param annotation the annotation of {@code response.output_text.annotation.added}
 * @param code the provider's code of an {@code error} event
 * @param message the message of an {@code error} event
 * @param error a top-level {@code error} member (a JSON null included: openai-java fails on any); never
 *     set on an event that reaches the mapping
 */
record ResponseEvent(
        String type,
        @JsonProperty("sequence_number") long sequenceNumber,
        @JsonProperty("item_id") String itemId,
        @JsonProperty("content_index") long contentIndex,
        String delta,
        ResponseView response,
        ResponseView.OutputItem item,
        JsonNode annotation,
        String code,
        String message,
        JsonNode error) {

    static final String TEXT_DELTA = "response.output_text.delta";
    static final Set<String> TERMINAL =
            Set.of("response.completed", "response.failed", "response.incomplete", "response.cancelled");

    ResponseEvent {
        type = type == null ? "?" : type;
    }

    /** The binding: an absent {@code sequence_number} or {@code content_index} is -1 (a record's long would be 0). */
    @JsonCreator
    static ResponseEvent bound(
            @JsonProperty("type") String type,
            @JsonProperty("sequence_number") Long sequenceNumber,
            @JsonProperty("item_id") String itemId,
            @JsonProperty("content_index") Long contentIndex,
            @JsonProperty("delta") String delta,
            @JsonProperty("response") ResponseView response,
            @JsonProperty("item") ResponseView.OutputItem item,
            @JsonProperty("annotation") JsonNode annotation,
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("error") JsonNode error) {
        return new ResponseEvent(type, sequenceNumber == null ? -1 : sequenceNumber, itemId,
                contentIndex == null ? -1 : contentIndex, delta, response, item, annotation, code, message, error);
    }

    /** A text delta, as the single pass reads it. */
    static ResponseEvent textDelta(String itemId, long contentIndex, String delta, long sequenceNumber) {
        return new ResponseEvent(TEXT_DELTA, sequenceNumber, itemId, contentIndex, delta, null, null, null, null, null, null);
    }

    /** The terminal event a response that ended without one would have sent, from its stored state. */
    static ResponseEvent endedAs(ResponseView response, long sequenceNumber) {
        String status = response.status() == null ? "completed" : response.status();
        return new ResponseEvent("response." + status, sequenceNumber, null, -1, null, response, null, null, null, null, null);
    }

    boolean isTextDelta() {
        return TEXT_DELTA.equals(type);
    }

    boolean isTerminal() {
        return TERMINAL.contains(type);
    }

    boolean isError() {
        return "error".equals(type);
    }

    /** The member this type of event must have, as openai-java requires it before the mapping reads it. */
    <T> T required(T member, String name) {
        if (member == null) {
            throw new OpenAIInvalidDataException("`" + name + "` is not present in " + type);
        }
        return member;
    }
}
