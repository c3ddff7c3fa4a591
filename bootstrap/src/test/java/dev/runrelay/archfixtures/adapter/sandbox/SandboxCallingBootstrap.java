package dev.runrelay.archfixtures.adapter.sandbox;

import dev.runrelay.archfixtures.bootstrap.FixtureBootstrapConfiguration;

/** Breaks NOTHING_DEPENDS_ON_BOOTSTRAP (and ONION). */
public class SandboxCallingBootstrap {

    public Object wiring(FixtureBootstrapConfiguration configuration) {
        return configuration;
    }
}
