package dev.runrelay.adapter.websocket;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may open the socket, bound under {@code runrelay.auth} (README "Authentication", docs/adr/0017).
 *
 * @param mode {@code none}, {@code token} or {@code jwt}; unset means {@code token} when a shared token is
 *     configured ({@code runrelay.websocket.token} or {@code RUNRELAY_WS_TOKEN}) and {@code none} otherwise
 * @param allowUnrecordedThreads whether a thread or run the gateway holds no owner for (created outside the
 *     gateway, or before a restart of the in-memory store) becomes the first caller's that names it; unset
 *     means yes in {@code none} and {@code token} modes (one principal) and no in {@code jwt} mode
 */
@ConfigurationProperties("runrelay.auth")
public record RunsAuthProperties(AuthMode mode, Boolean allowUnrecordedThreads) {

    /** How a handshake is authenticated. */
    public enum AuthMode {
        /** Nobody is asked; every connection is the one principal {@code local}. Loopback only. */
        NONE,
        /** One shared secret; every connection that presents it is the one principal {@code token}. */
        TOKEN,
        /** An OAuth2 access token (JWT) per user; the principal is its subject (or the configured claim). */
        JWT
    }

    /** The mode in force, given whether a shared token is configured. */
    public AuthMode effectiveMode(boolean tokenConfigured) {
        if (mode != null) {
            return mode;
        }
        return tokenConfigured ? AuthMode.TOKEN : AuthMode.NONE;
    }

    /** Whether unrecorded threads and runs are claimed by their first caller in {@code mode}. */
    public boolean unrecordedThreadsAllowed(AuthMode effective) {
        return allowUnrecordedThreads != null ? allowUnrecordedThreads : effective != AuthMode.JWT;
    }
}
