package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.RunsAuthProperties.AuthMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authentication at the WebSocket handshake (docs/adr/0017): Spring Security's reactive filter chain
 * guards {@code runrelay.websocket.path} in the mode of {@code runrelay.auth.mode}, and answers 401 before
 * the upgrade to a handshake without valid credentials. Stateless: no session, no cookie, no CSRF token (a
 * socket carries no cookie-based credential to forge). Every other path is left as it was (the demo page,
 * health); the management endpoints are kept off the public port by their own configuration.
 *
 * <p>Both {@code token} and {@code jwt} read the credential the same way, from {@code Authorization: Bearer}
 * or the {@code access_token} query parameter (browsers cannot set headers on a WebSocket); {@code jwt}
 * verifies it with the {@link ReactiveJwtDecoder} Spring Boot builds from
 * {@code spring.security.oauth2.resourceserver.jwt.*}, and takes the principal from {@code sub} or
 * {@code spring.security.oauth2.resourceserver.jwt.principal-claim-name}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(RunsAuthProperties.class)
public class RunsSecurityConfiguration {

    /** The principal every holder of the shared token is. */
    static final String TOKEN_PRINCIPAL = "token";

    @Bean
    RunsAuthentication runsAuthentication(
            RunsAuthProperties auth, RunsWebSocketProperties websocket, Environment environment) {
        String token = websocket.token() != null
                ? websocket.token()
                : blankToNull(environment.getProperty(RunsWebSocketConfiguration.TOKEN_VARIABLE));
        AuthMode mode = auth.effectiveMode(token != null);
        return new RunsAuthentication(mode, mode == AuthMode.TOKEN ? token : null, auth.unrecordedThreadsAllowed(mode));
    }

    /**
     * Checks the shared token of {@code token} mode, in constant time. A bean in every mode: its presence
     * also keeps Spring Boot from generating a user and password nobody needs.
     */
    @Bean
    ReactiveAuthenticationManagerResolver<ServerWebExchange> runsTokenAuthentication(RunsAuthentication auth) {
        byte[] expected = auth.token() == null ? null : auth.token().getBytes(StandardCharsets.UTF_8);
        ReactiveAuthenticationManager manager = authentication -> {
            if (expected != null
                    && authentication instanceof BearerTokenAuthenticationToken bearer
                    && MessageDigest.isEqual(expected, bearer.getToken().getBytes(StandardCharsets.UTF_8))) {
                return Mono.just(UsernamePasswordAuthenticationToken.authenticated(TOKEN_PRINCIPAL, null, List.of()));
            }
            return Mono.error(new InvalidBearerTokenException("The token is not valid."));
        };
        return exchange -> Mono.just(manager);
    }

    @Bean
    SecurityWebFilterChain runsSecurityFilterChain(
            ServerHttpSecurity http,
            RunsAuthentication auth,
            RunsWebSocketProperties websocket,
            ReactiveAuthenticationManagerResolver<ServerWebExchange> runsTokenAuthentication,
            ObjectProvider<ReactiveJwtDecoder> jwtDecoder,
            ObjectProvider<ReactiveJwtAuthenticationConverter> jwtConverter) {
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        if (auth.mode() == AuthMode.NONE) {
            return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll()).build();
        }
        var bearer = new ServerBearerTokenAuthenticationConverter();
        bearer.setAllowUriQueryParameter(true);
        http.authorizeExchange(exchanges -> exchanges
                .pathMatchers(websocket.path()).authenticated()
                .anyExchange().permitAll());
        if (auth.mode() == AuthMode.TOKEN) {
            http.oauth2ResourceServer(server -> server
                    .bearerTokenConverter(bearer)
                    .authenticationManagerResolver(runsTokenAuthentication));
        } else {
            ReactiveJwtDecoder decoder = jwtDecoder.getIfAvailable();
            if (decoder == null) {
                throw new IllegalStateException("runrelay.auth.mode=jwt needs "
                        + "spring.security.oauth2.resourceserver.jwt.jwk-set-uri, issuer-uri or public-key-location");
            }
            http.oauth2ResourceServer(server -> server
                    .bearerTokenConverter(bearer)
                    .jwt(jwt -> {
                        jwt.jwtDecoder(decoder);
                        jwtConverter.ifAvailable(jwt::jwtAuthenticationConverter);
                    }));
        }
        return http.build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
