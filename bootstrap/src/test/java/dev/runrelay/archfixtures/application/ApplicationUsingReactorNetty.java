package dev.runrelay.archfixtures.application;

import reactor.netty.http.client.HttpClient;

/** Breaks APPLICATION_DEPENDS_ON_DOMAIN_ONLY: reactor-core is allowed there (ADR 0006), Reactor Netty is not. */
public class ApplicationUsingReactorNetty {

    public Object client() {
        return HttpClient.create();
    }
}
