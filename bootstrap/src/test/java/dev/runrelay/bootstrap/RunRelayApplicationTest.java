package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunStreamPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The whole app on a random port with the sandbox provider, as a user starts it. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.openai.api-key="})
class RunRelayApplicationTest {

    /** Generous: the first request warms up the whole web stack, slow on a loaded CI machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    Provider provider;

    @Autowired
    RunStreamPort streams;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    @Test
    void withoutAKey_startsWithTheSandboxProvider() {
        assertThat(provider.name()).isEqualTo("sandbox");
        assertThat(streams).isNotNull();
    }

    @Test
    void probes_areUpOnThePublicPort() throws Exception {
        assertThat(get("/livez").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void rootServesTheDemoPage() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>RunRelay demo</title>", "app.js");
        assertThat(get("/app.js").body()).contains("/ws/runs");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
