package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A minimal Spring Boot WebFlux app on Reactor Netty, bound to 127.0.0.1 on a random port, that
 * imports {@link RunsWebSocketConfiguration} and serves the use cases with {@link FakeRunUseCases}.
 */
final class TestServer implements AutoCloseable {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(RunsWebSocketConfiguration.class)
    static class App {}

    final FakeRunUseCases fakes = new FakeRunUseCases();
    final ConfigurableApplicationContext context;
    final int port;

    private TestServer(String... properties) {
        var all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                "logging.level.root=WARN", "logging.level.dev.runrelay=INFO"));
        all.addAll(List.of(properties));
        this.context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.REACTIVE)
                .properties(all.toArray(String[]::new))
                .initializers(context -> context.getBeanFactory().registerSingleton("fakeRunUseCases", fakes))
                .run();
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    static TestServer start(String... properties) {
        return new TestServer(properties);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/runs");
    }

    URI uri(String query) {
        return URI.create("ws://127.0.0.1:" + port + "/ws/runs?" + query);
    }

    RunsWebSocketTestClient connect() {
        return RunsWebSocketTestClient.connect(uri());
    }

    RunsWebSocketTestClient connect(Map<String, String> headers) {
        return RunsWebSocketTestClient.connect(uri(), headers);
    }

    RunsWebSocketHandler handler() {
        return context.getBean(RunsWebSocketHandler.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
