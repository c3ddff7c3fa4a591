package dev.runrelay.archfixtures.domain;

import dev.runrelay.archfixtures.application.service.FixtureRunService;

/** Breaks ONION (the domain reaches outwards) and, with FixtureRunService, NO_CYCLES_BETWEEN_MODULES. */
public class DomainCallingTheApplication {

    public String run(FixtureRunService service) {
        return service.start();
    }
}
