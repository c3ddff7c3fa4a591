package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing one application context leaves the others' servers answering (OwnEventLoopsPerContext). With
 * Reactor Netty's global resources shared by every context, closing the first one refused connections
 * to the second's public and management ports.
 */
class ContextIsolationTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void closingOneContext_leavesAnotherContextsServersAnswering() throws Exception {
        ConfigurableApplicationContext first = RunRelayInstances.start("--runrelay.provider=sandbox");
        try (ConfigurableApplicationContext second = RunRelayInstances.start("--runrelay.provider=sandbox")) {
            first.close();

            assertThat(status(second, "local.server.port", "/livez")).isEqualTo(200);
            assertThat(status(second, "local.management.port", "/actuator/health/readiness")).isEqualTo(200);
        } finally {
            first.close();
        }
    }

    private int status(ConfigurableApplicationContext context, String portProperty, String path) throws Exception {
        String port = context.getEnvironment().getProperty(portProperty);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
