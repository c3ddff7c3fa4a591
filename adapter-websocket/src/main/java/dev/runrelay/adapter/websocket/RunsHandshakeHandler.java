package dev.runrelay.adapter.websocket;

import java.net.URI;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * The gate in front of the upgrade: a browser from an origin not allowed gets 403 before anything is
 * upgraded (credentials were checked before, by {@link RunsSecurityConfiguration}'s filter chain: 401), and
 * the handshake's principal is handed to the socket as its {@link ConnectionCaller}.
 */
final class RunsHandshakeHandler implements WebHandler {

    private static final Logger log = LoggerFactory.getLogger(RunsHandshakeHandler.class);
    private final WebSocketService upgrade;
    private final RunsWebSocketHandler handler;
    private final CorsConfiguration origins = new CorsConfiguration();

    RunsHandshakeHandler(WebSocketService upgrade, RunsWebSocketHandler handler, RunsWebSocketProperties properties) {
        this.upgrade = upgrade;
        this.handler = handler;
        this.origins.setAllowedOriginPatterns(properties.allowedOrigins());
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String origin = request.getHeaders().getOrigin();
        if (origin != null && !sameOrigin(origin, request.getURI()) && origins.checkOrigin(origin) == null) {
            log.debug("Refused a WebSocket handshake from origin {}", origin);
            return refuse(exchange, HttpStatus.FORBIDDEN);
        }
        return exchange.getPrincipal()
                .map(ConnectionCaller::of)
                .defaultIfEmpty(ConnectionCaller.LOCAL)
                .flatMap(caller -> upgrade.handleRequest(exchange, session -> handler.handle(session, caller)));
    }

    private static boolean sameOrigin(String origin, URI server) {
        try {
            URI from = URI.create(origin);
            return Objects.equals(from.getScheme(), server.getScheme())
                    && from.getHost() != null
                    && from.getHost().equalsIgnoreCase(server.getHost())
                    && port(from) == port(server);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme()) ? 443 : 80;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status) {
        exchange.getResponse().setStatusCode(status);
        return exchange.getResponse().setComplete();
    }
}
