package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.ServerFrame.ErrorDescription;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.ProviderReportedException;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a client reads of a failure: the code's fixed sentence, never the provider's own text. */
class RunsErrorResolverTest {

    private final RunsErrorResolver resolver = new RunsErrorResolver();

    @Test
    void connectionBrokeOff_saysTheSentence_withoutTheJavaClassOrHost() {
        var failure = StreamFailures.interrupted(
                "OpenAI connection broke off: EOFException: \\n not found: limit=0 content=… from api.openai.com/10.1.2.3",
                "req_1", new EOFException());

        ErrorDescription description = resolver.resolve(new CompletionException(failure));

        assertThat(description.code()).isEqualTo("stream_interrupted");
        assertThat(description.message()).isEqualTo(ErrorCode.STREAM_INTERRUPTED.clientMessage())
                .doesNotContain("Exception").doesNotContain("openai.com").doesNotContain("10.1.2.3");
        assertThat(description.retryable()).isTrue();
    }

    @Test
    void rateLimitedWithAnOrganisationId_saysTheSentence_withoutTheOrganisation() {
        var failure = new RunRelayException(ErrorCode.RATE_LIMITED,
                "OpenAI Rate limit reached for gpt-4o in organization org-AbCdEf123456 on tokens per min (TPM)",
                Duration.ofSeconds(2), "req_2", true, null);

        ErrorDescription description = resolver.resolve(failure);

        assertThat(description.code()).isEqualTo("rate_limited");
        assertThat(description.message()).doesNotContain("org-").doesNotContain("gpt-4o")
                .isEqualTo(ErrorCode.RATE_LIMITED.clientMessage());
    }

    @Test
    void providerErrorEvent_keepsItsCode_andSaysTheSentence() {
        var failure = new ProviderReportedException(ErrorCode.PROVIDER_UNAVAILABLE, "server_error",
                "OpenAI reported an error in the stream (server_error): The server had an error", null, null);

        ErrorDescription description = resolver.resolve(failure);

        assertThat(description.code()).isEqualTo("provider_unavailable");
        assertThat(description.message()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE.clientMessage());
    }

    @Test
    void ourOwnValidation_namesTheField() {
        ErrorDescription description = resolver.resolve(new InvalidRequestException("toolOutputs", "missing call_1"));

        assertThat(description.field()).isEqualTo("toolOutputs");
        assertThat(description.message()).isEqualTo("toolOutputs: missing call_1");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCode_hasAFixedSentence_withoutPlaceholdersOrJavaNames(ErrorCode code) {
        var failure = new RunRelayException(code, "provider text with sk-secret and java.net.ConnectException");

        ErrorDescription description = resolver.resolve(failure);

        assertThat(description.code()).isEqualTo(code.code());
        assertThat(description.message()).isEqualTo(code.clientMessage()).isNotBlank().endsWith(".")
                .doesNotContain("sk-").doesNotContain("java.").doesNotContain("Exception");
    }
}
