package dev.runrelay.adapter.websocket;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * The gate in front of the upgrade: a browser from an origin not allowed gets 403, a handshake without
 * the configured token gets 401, both before anything is upgraded.
 */
final class RunsHandshakeHandler implements WebHandler {

    private static final Logger log = LoggerFactory.getLogger(RunsHandshakeHandler.class);
    private static final String BEARER = "Bearer ";

    private final WebSocketService upgrade;
    private final WebSocketHandler handler;
    private final CorsConfiguration origins = new CorsConfiguration();
    private final byte[] token;

    RunsHandshakeHandler(WebSocketService upgrade, WebSocketHandler handler, RunsWebSocketProperties properties) {
        this.upgrade = upgrade;
        this.handler = handler;
        this.origins.setAllowedOriginPatterns(properties.allowedOrigins());
        this.token = properties.token() == null ? null : properties.token().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String origin = request.getHeaders().getOrigin();
        if (origin != null && !sameOrigin(origin, request.getURI()) && origins.checkOrigin(origin) == null) {
            log.debug("Refused a WebSocket handshake from origin {}", origin);
            return refuse(exchange, HttpStatus.FORBIDDEN);
        }
        if (token != null && !presentsToken(request)) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return refuse(exchange, HttpStatus.UNAUTHORIZED);
        }
        return upgrade.handleRequest(exchange, handler);
    }

    private boolean presentsToken(ServerHttpRequest request) {
        String presented = request.getQueryParams().getFirst("access_token");
        if (presented == null) {
            String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                presented = authorization.substring(BEARER.length()).trim();
            }
        }
        // Constant time, so the token cannot be guessed byte by byte from response times.
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
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
