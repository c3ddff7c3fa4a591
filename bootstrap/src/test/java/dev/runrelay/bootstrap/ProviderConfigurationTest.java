package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.port.Provider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ProviderConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ProviderConfiguration.class);

    @Test
    void noProviderAndNoKey_choosesTheSandbox_andSaysSoInOneLine(CapturedOutput output) {
        context.run(started -> {
            assertThat(started).hasNotFailed();
            assertThat(started.getBean(Provider.class).name()).isEqualTo("sandbox");
        });
        assertThat(output).containsOnlyOnce(
                "RunRelay provider: sandbox (runrelay.provider is not set and there is no OPENAI_API_KEY)");
    }

    @Test
    void explicitSandbox_winsOverAKey() {
        context.withPropertyValues("runrelay.provider=sandbox", "runrelay.openai.api-key=sk-test")
                .run(started -> assertThat(started.getBean(Provider.class).name()).isEqualTo("sandbox"));
    }

    @Test
    void sandboxSettings_areBound() {
        context.withPropertyValues("runrelay.sandbox.seed=7", "runrelay.sandbox.deltas-per-second=500")
                .run(started -> {
                    RunRelayProperties properties = started.getBean(RunRelayProperties.class);
                    assertThat(properties.sandbox().seed()).isEqualTo(7);
                    assertThat(properties.sandbox().deltasPerSecond()).isEqualTo(500);
                });
    }

    @Test
    void defaults_whenNothingIsConfigured() {
        context.run(started -> {
            RunRelayProperties properties = started.getBean(RunRelayProperties.class);
            assertThat(properties.sandbox().deltasPerSecond()).isEqualTo(50);
            assertThat(properties.sandbox().seed()).isEqualTo(42);
            assertThat(properties.openai().baseUrl()).isEqualTo("https://api.openai.com/v1");
            assertThat(properties.openai().readTimeout()).hasSeconds(60);
        });
    }

    @Test
    void unknownProvider_failsStartUpNamingTheChoices() {
        context.withPropertyValues("runrelay.provider=anthropic").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("runrelay.provider must be one of sandbox, openai, openai-assistants, but is 'anthropic'.");
        });
    }

    @Test
    void openAiWithoutAKey_failsStartUp() {
        context.withPropertyValues("runrelay.provider=openai", "runrelay.openai.api-key=").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("needs an OpenAI API key");
        });
    }

    @Test
    void impossibleSandboxPace_failsStartUp() {
        context.withPropertyValues("runrelay.sandbox.deltas-per-second=0").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("runrelay.sandbox.deltas-per-second");
        });
    }

    @Test
    void noProviderButAKey_choosesOpenAi() {
        context.withPropertyValues("runrelay.openai.api-key=sk-test", "runrelay.openai.base-url=http://127.0.0.1:9/v1")
                .run(started -> assertThat(started.getBean(Provider.class).name()).isEqualTo("openai"));
    }

    @Test
    void explicitOpenAiAssistants_isTheAssistantsProvider() {
        context.withPropertyValues("runrelay.provider=openai-assistants", "runrelay.openai.api-key=sk-test",
                        "runrelay.openai.base-url=http://127.0.0.1:9/v1")
                .run(started -> assertThat(started.getBean(Provider.class).name()).isEqualTo("openai-assistants"));
    }

    @Test
    void openAiAssistantsWithoutAKey_failsStartUp() {
        context.withPropertyValues("runrelay.provider=openai-assistants", "runrelay.openai.api-key=").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessage("runrelay.provider=openai-assistants needs an OpenAI API key, and none is set.");
        });
    }

    @Test
    void invalidBaseUrl_failsStartUp_withoutTheKey() {
        context.withPropertyValues("runrelay.provider=openai", "runrelay.openai.api-key=sk-secret-9",
                        "runrelay.openai.base-url=ftp://example.com")
                .run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationException.class)
                            .hasMessageStartingWith("runrelay.openai: OpenAI base URL must be http(s)")
                            .hasMessageNotContaining("sk-secret-9");
                });
    }

    @Test
    void blankChoice_followsTheKey() {
        assertThat(ProviderChoice.select(null, false).choice()).isEqualTo(ProviderChoice.SANDBOX);
        assertThat(ProviderChoice.select("", true).choice()).isEqualTo(ProviderChoice.OPENAI);
        assertThat(ProviderChoice.select(" openai-assistants ", true).choice())
                .isEqualTo(ProviderChoice.OPENAI_ASSISTANTS);
        assertThat(ProviderChoice.select("sandbox", true).choice()).isEqualTo(ProviderChoice.SANDBOX);
    }
}
