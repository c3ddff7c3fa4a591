package dev.runrelay.adapter.openai.transport;

import java.io.IOException;

/**
 * The connection failed after the response's headers were read, while its body was streaming: the
 * provider had started answering, so the stream was interrupted rather than the request refused.
 * openai-java's {@code OpenAIIoException} cannot carry the headers from outside the SDK, so this cause
 * says it instead; {@code OpenAiErrorTranslator} reads it.
 */
public final class BodyBrokeOffException extends IOException {

    public BodyBrokeOffException(Throwable cause) {
        super("the response body broke off", cause);
    }
}
