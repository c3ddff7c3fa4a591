package dev.runrelay.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.ErrorObject;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.ProviderReportedException;
import dev.runrelay.domain.error.RunRelayException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OpenAiErrorTranslatorTest {

    private final OpenAiErrorTranslator translator = new OpenAiErrorTranslator();

    private static ErrorObject error(String code, String message) {
        return ErrorObject.builder().code(code).message(message).param((String) null).type("invalid_request_error").build();
    }

    private static Headers headers(String... pairs) {
        Headers.Builder builder = Headers.builder();
        for (int i = 0; i < pairs.length; i += 2) {
            builder.put(pairs[i], pairs[i + 1]);
        }
        return builder.build();
    }

    private RunRelayException translated(Throwable failure) {
        return translator.translate(failure).orElseThrow();
    }

    @Test
    void givenBadRequestWithKeyInMessage_translate_scrubsKeyAndKeepsRequestId() {
        var failure = BadRequestException.builder()
                .headers(headers("x-request-id", "req_123"))
                .error(error("invalid_value", "Incorrect API key provided: sk-proj-abcdefghijklmnop1234"))
                .build();

        RunRelayException result = translated(new CompletionException(failure));

        assertThat(result.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(result.getMessage()).doesNotContain("abcdefghijklmnop").contains("sk-****");
        assertThat(result.providerRequestId()).contains("req_123");
    }

    @Test
    void givenRateLimitWithRetryAfterMs_translate_isRetryableUnprocessedWithWait() {
        var failure = RateLimitException.builder()
                .headers(headers("retry-after-ms", "1500", "retry-after", "9"))
                .error(error("rate_limit_exceeded", "Rate limit reached"))
                .build();

        RunRelayException result = translated(failure);

        assertThat(result.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(result.unprocessed()).isTrue();
        assertThat(result.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @Test
    void givenRateLimitWithRetryAfterSeconds_translate_readsSeconds() {
        var failure = RateLimitException.builder()
                .headers(headers("retry-after", "2"))
                .error(error("rate_limit_exceeded", "slow down"))
                .build();

        assertThat(translated(failure).retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void givenInsufficientQuota_translate_isQuotaExceededNotRetryable() {
        var failure = RateLimitException.builder()
                .headers(headers())
                .error(error("insufficient_quota", "You exceeded your current quota"))
                .build();

        RunRelayException result = translated(failure);

        assertThat(result.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(result.retryable()).isFalse();
    }

    @Test
    void givenUnprocessableActiveRun_translate_isConflict() {
        var failure = UnprocessableEntityException.builder()
                .headers(headers())
                .error(error(null, "Thread thread_1 already has an active run run_2."))
                .build();

        assertThat(translated(failure).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void given503_translate_isUnprocessedProviderUnavailable_and500_isNot() {
        var unavailable = InternalServerException.builder().statusCode(503).headers(headers()).build();
        var internal = InternalServerException.builder().statusCode(500).headers(headers()).build();

        assertThat(translated(unavailable).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(translated(unavailable).unprocessed()).isTrue();
        assertThat(translated(internal).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(translated(internal).unprocessed()).isFalse();
    }

    @Test
    void givenConnectionRefused_translate_isUnprocessedProviderUnavailable() {
        var failure = new OpenAIIoException("Request failed", new ConnectException("Connection refused"));

        RunRelayException result = translated(failure);

        assertThat(result.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(result.unprocessed()).isTrue();
    }

    @Test
    void givenSocketTimeout_translate_isTimeout() {
        var failure = new OpenAIIoException("Stream failed", new SocketTimeoutException("timeout"));

        assertThat(translated(failure).code()).isEqualTo(ErrorCode.TIMEOUT);
    }

    @Test
    void givenOtherIoBeforeResponse_translate_isProviderUnavailableProcessedUnknown() {
        var failure = new OpenAIIoException("Request failed", new IOException("unexpected end of stream"));

        RunRelayException result = translated(failure);

        assertThat(result.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(result.unprocessed()).isFalse();
    }

    @Test
    void givenErrorEventInStream_translate_followsItsCode() {
        var serverError = SseException.builder().statusCode(200).headers(headers())
                .error(error("server_error", "Sorry, something went wrong.")).build();
        var unknown = SseException.builder().statusCode(200).headers(headers())
                .error(error("weird", "hm")).build();

        assertThat(translated(serverError).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(translated(serverError)).isInstanceOfSatisfying(ProviderReportedException.class,
                reported -> assertThat(reported.providerCode()).isEqualTo("server_error"));
        // One table, one default: an unknown code is the provider failing, not a broken connection.
        assertThat(translated(unknown).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    }

    @Test
    void errorEventTable_isTheSameForBothProviders_withOneDefault() {
        for (String code : new String[] {"server_error", "weird", "", null}) {
            assertThat(OpenAiErrorTranslator.fromErrorEvent(code, "m", null, null).code())
                    .as(code).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        }
        assertThat(OpenAiErrorTranslator.fromErrorEvent("rate_limit_exceeded", "m", null, null).code())
                .isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(OpenAiErrorTranslator.fromErrorEvent("insufficient_quota", "m", null, null).code())
                .isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(OpenAiErrorTranslator.fromErrorEvent("invalid_prompt", "m", null, null).code())
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(OpenAiErrorTranslator.fromErrorEvent("server_error", "key sk-abcdefghijkl", null, null)
                .getMessage()).doesNotContain("sk-abcdefghijkl");
    }

    @Test
    void givenInvalidData_translate_isInternal() {
        assertThat(translated(new OpenAIInvalidDataException("Error reading response")).code())
                .isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void givenForeignException_translate_isEmpty() {
        assertThat(translator.translate(new IllegalStateException("not ours"))).isEmpty();
    }
}
