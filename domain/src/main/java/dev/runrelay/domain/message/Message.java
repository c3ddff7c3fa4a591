package dev.runrelay.domain.message;

import java.util.List;

/**
 * A finished assistant message: its full text and annotations.
 *
 * @param incomplete true when the message was cut short (e.g. by a token limit)
 */
public record Message(
        String id, String threadId, String runId, String text, List<Annotation> annotations, boolean incomplete) {

    public Message {
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }
}
