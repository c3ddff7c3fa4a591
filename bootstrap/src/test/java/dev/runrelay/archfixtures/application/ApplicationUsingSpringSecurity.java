package dev.runrelay.archfixtures.application;

import org.springframework.security.core.Authentication;

/** Breaks ONLY_THE_WEBSOCKET_ADAPTER_AND_BOOTSTRAP_USE_SPRING_SECURITY: the core reading the authentication. */
public class ApplicationUsingSpringSecurity {

    public String owner(Authentication authentication) {
        return authentication.getName();
    }
}
