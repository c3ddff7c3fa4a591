package dev.runrelay.domain.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    /** The wire values are public protocol: this table changes only with a protocol version. */
    @ParameterizedTest
    @CsvSource({
        "INVALID_REQUEST, invalid_request, false",
        "NOT_FOUND, not_found, false",
        "UNAUTHORIZED, unauthorized, false",
        "PERMISSION_DENIED, permission_denied, false",
        "CONFLICT, conflict, false",
        "RATE_LIMITED, rate_limited, true",
        "QUOTA_EXCEEDED, quota_exceeded, false",
        "PROVIDER_UNAVAILABLE, provider_unavailable, true",
        "TIMEOUT, timeout, true",
        "STREAM_INTERRUPTED, stream_interrupted, true",
        "OVERLOADED, overloaded, true",
        "UNSUPPORTED_OPERATION, unsupported_operation, false",
        "INTERNAL, internal, false"
    })
    void wireValueAndRetryable(ErrorCode code, String wireValue, boolean retryable) {
        assertThat(code.code()).isEqualTo(wireValue);
        assertThat(code.retryable()).isEqualTo(retryable);
    }

    @Test
    void everyCodeIsInTheTable() {
        assertThat(ErrorCode.values()).hasSize(13);
    }

    @Test
    void wireValues_areUniqueAndSnakeCase() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
                .doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void exception_isRetryableExactlyWhenItsCodeIs(ErrorCode code) {
        assertThat(new RunRelayException(code, "x").retryable()).isEqualTo(code.retryable());
    }

    @Test
    void exception_carriesRetryAfterRequestIdAndUnprocessed() {
        var cause = new IllegalStateException("socket");
        var failure = new RunRelayException(
                ErrorCode.RATE_LIMITED, "Slow down.", Duration.ofSeconds(3), "req_1", true, cause);

        assertThat(failure.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(failure.getMessage()).isEqualTo("Slow down.");
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(failure.providerRequestId()).contains("req_1");
        assertThat(failure.unprocessed()).isTrue();
        assertThat(failure.getCause()).isSameAs(cause);
    }

    @Test
    void exception_byDefault_mayHaveBeenProcessed_andKnowsNoRetryAfter() {
        var failure = new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, "Down.", new RuntimeException());

        assertThat(failure.unprocessed()).as("only a translator that knows may claim it").isFalse();
        assertThat(failure.retryAfter()).isEmpty();
        assertThat(failure.providerRequestId()).isEmpty();
    }

    @Test
    void exception_requiresCodeAndMessage() {
        assertThatNullPointerException().isThrownBy(() -> new RunRelayException(null, "x"));
        assertThatNullPointerException().isThrownBy(() -> new RunRelayException(ErrorCode.INTERNAL, null));
    }

    @Test
    void invalidRequest_namesTheFieldInCodeAndMessage() {
        var failure = new InvalidRequestException("threadId", "is required");

        assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(failure.field()).isEqualTo("threadId");
        assertThat(failure.getMessage()).isEqualTo("threadId: is required");
        assertThat(failure.retryable()).isFalse();
    }
}
