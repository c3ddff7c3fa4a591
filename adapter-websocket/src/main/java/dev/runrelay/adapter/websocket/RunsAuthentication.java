package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.RunsAuthProperties.AuthMode;

/**
 * The authentication in force on the socket, resolved once from {@code runrelay.auth.*},
 * {@code runrelay.websocket.token} and {@code RUNRELAY_WS_TOKEN}; bootstrap checks it against the address
 * the server listens on and names it in the start-up line.
 *
 * @param mode the mode in force
 * @param token the shared token of {@code token} mode; null otherwise or when none is configured
 * @param unrecordedThreadsAllowed see {@link RunsAuthProperties#allowUnrecordedThreads()}
 */
public record RunsAuthentication(AuthMode mode, String token, boolean unrecordedThreadsAllowed) {

    @Override
    public String toString() {
        return "RunsAuthentication[mode=" + mode + ", token=" + (token == null ? "unset" : "set")
                + ", unrecordedThreadsAllowed=" + unrecordedThreadsAllowed + "]";
    }
}
