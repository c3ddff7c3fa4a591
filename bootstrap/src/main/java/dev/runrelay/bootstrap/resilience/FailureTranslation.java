package dev.runrelay.bootstrap.resilience;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.ErrorTranslator;
import dev.runrelay.domain.error.RunRelayException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * Turns any failure into the domain's {@link RunRelayException}: our own policies' refusals first,
 * then the provider's translator; whatever nobody knows becomes {@code internal} with a generic
 * message, because a raw exception message may carry secrets.
 */
final class FailureTranslation {

    private static final Logger log = LoggerFactory.getLogger(FailureTranslation.class);

    static final String CIRCUIT_OPEN_MESSAGE =
            "The provider is failing; RunRelay stopped calling it for a short while. Try again shortly.";
    static final String OVERLOADED_MESSAGE = "Too many runs are streaming on this server right now. Try again shortly.";
    static final String INTERNAL_MESSAGE = "The provider call failed unexpectedly.";

    private final ErrorTranslator providerTranslator;

    FailureTranslation(ErrorTranslator providerTranslator) {
        this.providerTranslator = providerTranslator;
    }

    RunRelayException toDomain(Throwable failure) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case RunRelayException known -> known;
            case CallNotPermittedException open ->
                new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, CIRCUIT_OPEN_MESSAGE, null, null, true, open);
            case BulkheadFullException full ->
                new RunRelayException(ErrorCode.OVERLOADED, OVERLOADED_MESSAGE, null, null, true, full);
            default -> translatedByProvider(cause)
                    .orElseGet(() -> new RunRelayException(ErrorCode.INTERNAL, INTERNAL_MESSAGE, cause));
        };
    }

    /** True when the breaker refused the call: it is answered at once, never retried. */
    static boolean refusedByCircuitBreaker(RunRelayException failure) {
        return failure.getCause() instanceof CallNotPermittedException;
    }

    private Optional<RunRelayException> translatedByProvider(Throwable failure) {
        try {
            return providerTranslator.translate(failure);
        } catch (RuntimeException translatorFailure) {
            // A broken translator must not hide the original failure; the type is enough to find it.
            log.warn(
                    "error translator {} failed on {}: {}",
                    providerTranslator.getClass().getName(),
                    failure.getClass().getName(),
                    translatorFailure.getClass().getName());
            return Optional.empty();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = Exceptions.unwrap(failure);
        while ((current instanceof CompletionException
                        || current instanceof ExecutionException
                        || current instanceof InvocationTargetException
                        || current instanceof UndeclaredThrowableException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
