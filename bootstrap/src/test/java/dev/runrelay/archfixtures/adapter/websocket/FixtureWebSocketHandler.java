package dev.runrelay.archfixtures.adapter.websocket;

import dev.runrelay.archfixtures.application.usecase.FixtureStartRunUseCase;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/** A well-formed driving adapter: WebFlux is allowed here, and it calls a use case. */
public class FixtureWebSocketHandler implements WebSocketHandler {

    private final FixtureStartRunUseCase startRun;

    public FixtureWebSocketHandler(FixtureStartRunUseCase startRun) {
        this.startRun = startRun;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return session.send(Mono.fromSupplier(() -> session.textMessage(startRun.start())));
    }
}
