package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.run.RunOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsesSettingsTest {

    @Test
    void defaults_haveADefaultProfileWithTheDefaultModel_andTenMinutesExpiry() {
        var settings = ResponsesSettings.defaults();

        assertThat(settings.profiles()).containsEntry("default", AssistantProfile.of("gpt-4.1-mini"));
        assertThat(settings.requiresActionExpiry()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.resumeAttempts()).isEqualTo(3);
    }

    @Test
    void configuredProfiles_keepTheirOwnDefault() {
        var settings = ResponsesSettings.defaults().withProfiles(Map.of("default", AssistantProfile.of("gpt-5")));

        assertThat(settings.profiles().get("default").model()).isEqualTo("gpt-5");
    }

    @Test
    void unknownAssistant_isAnInvalidRequestNamingIt() {
        var requests = new ResponseRequests(ResponsesSettings.defaults());

        assertThatThrownBy(() -> requests.model("asst_nobody", RunOptions.defaults()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("assistantId");
                    assertThat(e.getMessage()).contains("asst_nobody");
                });
    }
}
