package dev.runrelay.bootstrap.resilience;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.ErrorTranslator;
import dev.runrelay.domain.error.RunRelayException;
import java.time.Duration;
import java.util.Optional;

/**
 * A make-believe provider SDK: its exception types and the translator its adapter would contribute.
 * The aspect sees only these, which proves it knows no real provider.
 */
final class FakeSdk {

    private FakeSdk() {}

    /** An HTTP error answer; {@code retryAfter} as the Retry-After header would give it. */
    static final class HttpFailure extends RuntimeException {
        final int status;
        final Duration retryAfter;
        final String requestId;

        HttpFailure(int status, Duration retryAfter, String requestId) {
            // The raw message holds a secret, as a careless SDK might: it must never reach a client.
            super("HTTP " + status + " for key sk-secret-123");
            this.status = status;
            this.retryAfter = retryAfter;
            this.requestId = requestId;
        }
    }

    /** The connection could not be opened: the provider provably saw nothing. */
    static final class ConnectRefused extends RuntimeException {
        ConnectRefused() {
            super("connection refused");
        }
    }

    /** The connection broke while reading an answer or a stream. */
    static final class ConnectionDropped extends RuntimeException {
        ConnectionDropped() {
            super("connection reset");
        }
    }

    /** An exception type the translator does not know. */
    static final class Mystery extends RuntimeException {
        Mystery() {
            super("mystery with sk-secret-456");
        }
    }

    static HttpFailure http(int status) {
        return new HttpFailure(status, null, "req_" + status);
    }

    static HttpFailure rateLimited(Duration retryAfter) {
        return new HttpFailure(429, retryAfter, "req_429");
    }

    /** Maps the fake SDK's exceptions the way a real adapter's translator maps its SDK's. */
    static final class Translator implements ErrorTranslator {
        @Override
        public Optional<RunRelayException> translate(Throwable failure) {
            return switch (failure) {
                case HttpFailure http -> Optional.of(switch (http.status) {
                    case 400 -> error(ErrorCode.INVALID_REQUEST, "The provider rejected the request.", http, false);
                    case 401 -> error(ErrorCode.UNAUTHORIZED, "The provider refused the API key.", http, false);
                    case 404 -> error(ErrorCode.NOT_FOUND, "No such run.", http, false);
                    case 429 -> error(ErrorCode.RATE_LIMITED, "The provider is rate limiting.", http, true);
                    case 503 -> error(ErrorCode.PROVIDER_UNAVAILABLE, "The provider is unavailable.", http, true);
                    default -> error(ErrorCode.PROVIDER_UNAVAILABLE, "The provider failed.", http, false);
                });
                case ConnectRefused refused -> Optional.of(new RunRelayException(
                        ErrorCode.PROVIDER_UNAVAILABLE, "Could not reach the provider.", null, null, true, refused));
                case ConnectionDropped dropped -> Optional.of(new RunRelayException(
                        ErrorCode.PROVIDER_UNAVAILABLE, "The connection to the provider broke.", dropped));
                default -> Optional.empty();
            };
        }

        private static RunRelayException error(ErrorCode code, String message, HttpFailure http, boolean unprocessed) {
            return new RunRelayException(code, message, http.retryAfter, http.requestId, unprocessed, http);
        }
    }
}
