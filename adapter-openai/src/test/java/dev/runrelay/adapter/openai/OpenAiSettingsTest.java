package dev.runrelay.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiSettingsTest {

    @Test
    void toString_neverPrintsTheKey() {
        var settings = OpenAiSettings.of("sk-secret-key-123456");

        assertThat(settings.toString()).doesNotContain("sk-secret").contains("apiKey=****");
    }

    @Test
    void defaults_haveNoOverallDeadlineAndNoSdkRetries() {
        var settings = OpenAiSettings.of("sk-test");

        assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ZERO);
        assertThat(settings.maxRetries()).isZero();
    }

    @Test
    void missingKey_isRefusedWithoutEchoingAnything() {
        assertThatThrownBy(() -> OpenAiSettings.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void baseUrl_losesTrailingSlash_andMustBeHttp() {
        assertThat(OpenAiSettings.of("sk-test").withBaseUrl("http://127.0.0.1:8080/v1/").baseUrl())
                .isEqualTo("http://127.0.0.1:8080/v1");
        assertThatThrownBy(() -> OpenAiSettings.of("sk-test").withBaseUrl("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
