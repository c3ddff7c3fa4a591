package dev.runrelay.adapter.openai;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.ErrorTranslator;
import dev.runrelay.domain.error.ProviderReportedException;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.adapter.openai.transport.BodyBrokeOffException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Translates openai-java's exceptions into the domain's {@link RunRelayException}, for both OpenAI
 * providers. Carries the provider's message (with anything that looks like an API key scrubbed)
 * and its request id ({@code x-request-id}). Exceptions it does not know give {@link Optional#empty()}.
 */
public final class OpenAiErrorTranslator implements ErrorTranslator {

    /** OpenAI keys: {@code sk-...}, {@code sk-proj-...}, {@code sk-svcacct-...}, admin keys. */
    private static final Pattern API_KEY = Pattern.compile("sk-[A-Za-z0-9_\\-*]{6,}");
    private static final int MAX_MESSAGE_LENGTH = 500;
    private static final String PROVIDER = "OpenAI";

    @Override
    public Optional<RunRelayException> translate(Throwable failure) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case RunRelayException alreadyTranslated -> Optional.of(alreadyTranslated);
            case SseException streamError -> Optional.of(fromStreamError(streamError));
            case OpenAIServiceException serviceError -> Optional.of(fromStatus(serviceError));
            case OpenAIIoException ioError -> Optional.of(fromIo(ioError));
            case OpenAIInvalidDataException invalidData -> Optional.of(new RunRelayException(
                    ErrorCode.INTERNAL,
                    PROVIDER + " sent a response that could not be read: " + scrub(invalidData.getMessage()),
                    null, requestId(invalidData.headers().orElse(null)), invalidData));
            case OpenAIException other -> Optional.of(new RunRelayException(
                    ErrorCode.INTERNAL, PROVIDER + " client failed: " + scrub(other.getMessage()), other));
            default -> Optional.empty();
        };
    }

    private static RunRelayException fromStatus(OpenAIServiceException error) {
        int status = error.statusCode();
        String code = error.code().orElse(null);
        String message = providerMessage(error);
        String requestId = requestId(error.headers());
        return switch (status) {
            // OpenAI answers "Thread ... already has an active run ..." with 400 (some servers with 422).
            case 400, 422 -> new RunRelayException(
                    isActiveRunConflict(error) ? ErrorCode.CONFLICT : ErrorCode.INVALID_REQUEST,
                    message, null, requestId, error);
            case 401 -> new RunRelayException(ErrorCode.UNAUTHORIZED, message, null, requestId, error);
            case 403 -> new RunRelayException(ErrorCode.PERMISSION_DENIED, message, null, requestId, error);
            case 404 -> new RunRelayException(ErrorCode.NOT_FOUND, message, null, requestId, error);
            case 409 -> new RunRelayException(ErrorCode.CONFLICT, message, null, requestId, error);
            case 429 -> "insufficient_quota".equals(code)
                    ? new RunRelayException(ErrorCode.QUOTA_EXCEEDED, message, null, requestId, false, error)
                    : new RunRelayException(
                            ErrorCode.RATE_LIMITED, message, retryAfter(error.headers()), requestId, true, error);
            // 503: the server refused before doing anything; 500/502/504: it may have acted.
            case 503 -> new RunRelayException(
                    ErrorCode.PROVIDER_UNAVAILABLE, message, retryAfter(error.headers()), requestId, true, error);
            default -> {
                if (status >= 500) {
                    yield new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, message, null, requestId, false, error);
                }
                if (isActiveRunConflict(error)) {
                    yield new RunRelayException(ErrorCode.CONFLICT, message, null, requestId, error);
                }
                yield new RunRelayException(ErrorCode.INVALID_REQUEST, message, null, requestId, error);
            }
        };
    }

    /**
     * An {@code error} event inside a stream. Its HTTP status is the stream's (200), so the error
     * object's code decides; a 4xx/5xx status (an error body read as a stream) decides first.
     */
    private static RunRelayException fromStreamError(SseException error) {
        if (error.statusCode() >= 400) {
            return fromStatus(error);
        }
        return fromErrorEvent(error.code().orElse(error.type().orElse(null)), error.getMessage(),
                requestId(error.headers()), error);
    }

    /**
     * The one table of OpenAI's stream {@code error} event codes, for both OpenAI providers. The stream
     * had started, so the provider acted on the request whatever the code; a code it does not list is
     * the provider failing ({@code provider_unavailable}), never a broken connection.
     */
    public static RunRelayException fromErrorEvent(String providerCode, String message, String requestId,
            Throwable cause) {
        String code = providerCode == null ? "" : providerCode;
        ErrorCode domainCode = switch (code) {
            case "rate_limit_exceeded" -> ErrorCode.RATE_LIMITED;
            case "insufficient_quota" -> ErrorCode.QUOTA_EXCEEDED;
            case "invalid_request_error", "invalid_prompt" -> ErrorCode.INVALID_REQUEST;
            default -> ErrorCode.PROVIDER_UNAVAILABLE;
        };
        return new ProviderReportedException(domainCode, code, PROVIDER + " reported an error in the stream"
                + (code.isEmpty() ? "" : " (" + code + ")") + ": " + scrub(message), requestId, cause);
    }

    private static RunRelayException fromIo(OpenAIIoException error) {
        String requestId = requestId(error.headers().orElse(null));
        if (causedBy(error, ConnectException.class) || causedBy(error, UnknownHostException.class)
                || causedBy(error, NoRouteToHostException.class)) {
            return new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE,
                    PROVIDER + " could not be reached: " + scrub(rootMessage(error)), null, requestId, true, error);
        }
        // SocketTimeoutException and OkHttp's call timeout are both InterruptedIOExceptions.
        if (causedBy(error, InterruptedIOException.class)) {
            return new RunRelayException(ErrorCode.TIMEOUT,
                    PROVIDER + " did not answer in time: " + scrub(rootMessage(error)), null, requestId, false, error);
        }
        // Headers were read, so the response had started: the body broke off.
        if (error.headers().isPresent() || causedBy(error, BodyBrokeOffException.class)) {
            return StreamFailures.interrupted(
                    PROVIDER + " connection broke off: " + scrub(rootMessage(error)), requestId, error);
        }
        return new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE,
                PROVIDER + " request failed: " + scrub(rootMessage(error)), null, requestId, false, error);
    }

    /**
     * A request the run's state refuses, which OpenAI answers with 400 rather than 409: another run is
     * active, the run cannot be cancelled any more ("Cannot cancel run with status 'completed'."), or it
     * does not wait for tool outputs ("Runs in status "completed" do not accept tool outputs."). Every
     * provider calls these {@code conflict} (the provider contract pins it).
     */
    private static boolean isActiveRunConflict(OpenAIServiceException error) {
        String text = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return text.contains("already has an active run") || text.contains("while a run") && text.contains("is active")
                || text.contains("cannot cancel run with status") || text.contains("do not accept tool outputs");
    }

    private static String providerMessage(OpenAIServiceException error) {
        return PROVIDER + " " + scrub(error.getMessage());
    }

    /** Removes anything that looks like an API key and bounds the length. */
    static String scrub(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String scrubbed = API_KEY.matcher(message).replaceAll("sk-****");
        return scrubbed.length() > MAX_MESSAGE_LENGTH ? scrubbed.substring(0, MAX_MESSAGE_LENGTH) + "..." : scrubbed;
    }

    private static String requestId(Headers headers) {
        if (headers == null) {
            return null;
        }
        return headers.values("x-request-id").stream().findFirst().orElse(null);
    }

    /** {@code retry-after-ms} (OpenAI's, in milliseconds) first, then {@code retry-after} (seconds or a date). */
    static Duration retryAfter(Headers headers) {
        Optional<String> millis = headers.values("retry-after-ms").stream().findFirst();
        if (millis.isPresent()) {
            try {
                double value = Double.parseDouble(millis.get().strip());
                if (value >= 0 && Double.isFinite(value)) {
                    return Duration.ofMillis((long) value);
                }
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        Optional<String> seconds = headers.values("retry-after").stream().findFirst();
        if (seconds.isEmpty()) {
            return null;
        }
        String value = seconds.get().strip();
        try {
            double parsed = Double.parseDouble(value);
            return parsed >= 0 && Double.isFinite(parsed) ? Duration.ofMillis((long) (parsed * 1000)) : null;
        } catch (NumberFormatException notANumber) {
            try {
                Duration untilDate = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return untilDate.isNegative() ? Duration.ZERO : untilDate;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
