package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A real start-up with a bad configuration stops with a one-line reason, no stack trace, no secret. */
@ExtendWith(OutputCaptureExtension.class)
class FailFastTest {

    @Test
    void openAiChosenWithoutAKey_stopsWithOneLineReason(CapturedOutput output) {
        assertThatThrownBy(() -> start("--runrelay.provider=openai", "--runrelay.openai.api-key="))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START",
                "Invalid RunRelay configuration: runrelay.provider=openai needs an OpenAI API key, and none is set.",
                "Set OPENAI_API_KEY (or runrelay.openai.api-key), or choose runrelay.provider=sandbox.");
        assertThat(output.getOut() + output.getErr()).doesNotContain("\tat dev.runrelay");
    }

    @Test
    void unknownProvider_stopsWithOneLineReason_andNeverPrintsTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> start("--runrelay.provider=nope", "--runrelay.openai.api-key=sk-secret-123"))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(output).contains(
                "Invalid RunRelay configuration: runrelay.provider must be one of sandbox, openai, openai-assistants,"
                        + " but is 'nope'.");
        assertThat(output).doesNotContain("sk-secret-123");
    }

    private static void start(String... args) {
        var application = new SpringApplication(RunRelayApplication.class);
        String[] all = new String[args.length + 2];
        all[0] = "--server.port=0";
        all[1] = "--server.address=127.0.0.1";
        System.arraycopy(args, 0, all, 2, args.length);
        application.run(all).close();
    }
}
