package dev.runrelay.archfixtures.adapter.sandbox;

import org.springframework.web.reactive.socket.WebSocketSession;

/** Breaks ONLY_THE_WEBSOCKET_ADAPTER_AND_BOOTSTRAP_USE_WEBFLUX: a provider that knows the transport. */
public class SandboxUsingWebFlux {

    public String sessionId(WebSocketSession session) {
        return session.getId();
    }
}
