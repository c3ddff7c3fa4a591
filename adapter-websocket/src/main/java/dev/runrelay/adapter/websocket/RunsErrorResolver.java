package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.ServerFrame.ErrorDescription;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.RunRelayException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * The one place a failure becomes what the client reads: a stable code, a sentence safe to show and
 * whether retrying may help. Domain errors keep their code and read the code's fixed sentence
 * ({@link dev.runrelay.domain.error.ErrorCode#clientMessage()}); only our own validation
 * ({@link InvalidRequestException}, {@link ProtocolException}) says more, naming the field. Anything
 * unexpected becomes {@code internal} with a generic sentence, and is logged here.
 */
final class RunsErrorResolver {

    private static final Logger log = LoggerFactory.getLogger(RunsErrorResolver.class);

    static final ErrorDescription SLOW_CONSUMER = new ErrorDescription(ProtocolException.SLOW_CONSUMER,
            "The client read too slowly and fell too far behind; the stream was stopped.", false, null);
    static final ErrorDescription INTERNAL = new ErrorDescription(
            ErrorCode.INTERNAL.code(), ErrorCode.INTERNAL.clientMessage(), false, null);

    ErrorDescription resolve(Throwable failure) {
        Throwable error = unwrap(failure);
        if (error instanceof ProtocolException protocol) {
            return new ErrorDescription(protocol.code(), protocol.getMessage(), protocol.retryable(), protocol.field());
        }
        if (error instanceof InvalidRequestException invalid) {
            return new ErrorDescription(invalid.code().code(), invalid.getMessage(), false, invalid.field());
        }
        if (error instanceof RunRelayException domain) {
            // The provider's own text stays in the logs (FailureReporter); the client reads the code's sentence.
            return new ErrorDescription(domain.code().code(), domain.code().clientMessage(), domain.retryable(), null,
                    domain.retryAfter().map(java.time.Duration::toMillis).orElse(null));
        }
        if (Exceptions.isOverflow(error)) {
            return SLOW_CONSUMER;
        }
        log.error("Unexpected failure answered as 'internal'", error);
        return INTERNAL;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable error = failure;
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }
}
