package dev.runrelay.domain.error;

import java.util.Optional;

/**
 * Turns a provider's own exception into the domain's. Each driven adapter contributes one for its
 * exception types; the error-handling aspect asks them in turn, so the aspect knows no provider
 * (the way Spring's persistence exception translation works).
 */
@FunctionalInterface
public interface ErrorTranslator {

    /** The domain error for {@code failure}, or empty when this translator does not know its type. */
    Optional<RunRelayException> translate(Throwable failure);
}
