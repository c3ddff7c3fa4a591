package dev.runrelay.archfixtures.domain;

import reactor.core.publisher.Flux;

/** Breaks DOMAIN_DEPENDS_ON_JDK_ONLY: Reactor in the domain. */
public class DomainUsingReactor {

    public Flux<String> events() {
        return Flux.empty();
    }
}
