package dev.runrelay.bootstrap.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.adapter.websocket.RunsAuthProperties;
import dev.runrelay.adapter.websocket.RunsAuthentication;
import dev.runrelay.adapter.websocket.RunsWebSocketProperties;
import dev.runrelay.bootstrap.InvalidConfigurationException;
import dev.runrelay.bootstrap.RunRelayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/**
 * The server cannot expose a paid key by accident: without authentication it refuses to listen anywhere but
 * on loopback, with a one-line reason, and says at start-up which address, auth and origins are in force.
 * (The refused starts fail before the server binds, so nothing ever listens on every interface here.)
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthStartupTest {

    @Test
    void noneMode_onEveryInterface_refusesToStart_withOneLineReason(CapturedOutput output) {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0", "--runrelay.auth.mode=none"))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START",
                "Invalid RunRelay configuration: runrelay.auth.mode=none (no authentication) is allowed on a "
                        + "loopback address only, but the server listens on 0.0.0.0.");
        assertThat(output.getOut() + output.getErr()).doesNotContain("\tat dev.runrelay");
    }

    @Test
    void defaultMode_withoutAToken_onANonLoopbackAddress_refusesToStart(CapturedOutput output) {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0", "--runrelay.websocket.token="))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(output).contains("runrelay.auth.mode=none (no authentication) is allowed on a loopback address only");
    }

    @Test
    void tokenMode_withoutAToken_refusesToStart(CapturedOutput output) {
        assertThatThrownBy(() -> start("--server.address=127.0.0.1", "--runrelay.auth.mode=token"))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(output).contains("Invalid RunRelay configuration: runrelay.auth.mode=token needs a shared token");
    }

    @Test
    void start_onLoopback_saysWhichAddressAuthAndOriginsAreInForce(CapturedOutput output) {
        // The check itself, without starting a server: closing one would dispose Reactor Netty's JVM-wide
        // resources under the other test contexts.
        var environment = new MockEnvironment().withProperty("server.address", "127.0.0.1");
        var auth = new RunsAuthentication(RunsAuthProperties.AuthMode.NONE, null, true);

        var listen = new AccessConfiguration().runsListenAddress(auth, RunsWebSocketProperties.defaults(), environment);

        assertThat(listen.loopback()).isTrue();
        assertThat(output).contains("RunRelay listens on 127.0.0.1 with auth none (every connection is principal "
                + "'local'); allowed browser origins [http://localhost:[*]");
    }

    @Test
    void jwtMode_onEveryInterface_isAllowed_andNamesTheClaim(CapturedOutput output) {
        var environment = new MockEnvironment();
        var auth = new RunsAuthentication(RunsAuthProperties.AuthMode.JWT, null, false);

        var listen = new AccessConfiguration().runsListenAddress(auth, RunsWebSocketProperties.defaults(), environment);

        assertThat(listen.loopback()).isFalse();
        assertThat(output).contains("RunRelay listens on every interface (server.address unset) with auth jwt "
                + "(principal from claim 'sub')");
    }

    private static void start(String... args) {
        var application = new SpringApplication(RunRelayApplication.class);
        String[] all = new String[args.length + 2];
        all[0] = "--server.port=0";
        all[1] = "--runrelay.provider=sandbox";
        System.arraycopy(args, 0, all, 2, args.length);
        application.run(all).close();
    }
}
