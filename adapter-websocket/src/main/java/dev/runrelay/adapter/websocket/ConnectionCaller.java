package dev.runrelay.adapter.websocket;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.owner.Owner;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * Who is on the other end of one socket, taken from the handshake's authentication: the principal every
 * request of the socket acts as, and when its access token expires (after which new requests get
 * {@code unauthorized}; streams already running may finish).
 *
 * @param owner the principal
 * @param expiresAt when the handshake's token stops being valid; null when it does not expire
 */
record ConnectionCaller(Owner owner, Instant expiresAt) {

    /** The one principal of {@code none} mode, where nobody is asked. */
    static final ConnectionCaller LOCAL = new ConnectionCaller(new Owner("local"), null);

    static ConnectionCaller of(Principal principal) {
        Instant expiresAt = null;
        if (principal instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
            expiresAt = token.getToken().getExpiresAt();
        }
        return new ConnectionCaller(new Owner(principal.getName()), expiresAt);
    }

    boolean expired(Clock clock) {
        return expiresAt != null && !clock.instant().isBefore(expiresAt);
    }

    static RunRelayException expiredError() {
        return new RunRelayException(ErrorCode.UNAUTHORIZED,
                "The access token of this connection has expired; reconnect with a new one.");
    }
}
