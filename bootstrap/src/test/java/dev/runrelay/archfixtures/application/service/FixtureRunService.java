package dev.runrelay.archfixtures.application.service;

import dev.runrelay.archfixtures.application.usecase.FixtureStartRunUseCase;
import dev.runrelay.archfixtures.domain.port.FixtureRunPort;

/** A well-formed service; the adapter fixtures break rules by depending on it. */
public class FixtureRunService implements FixtureStartRunUseCase {

    private final FixtureRunPort runs;

    public FixtureRunService(FixtureRunPort runs) {
        this.runs = runs;
    }

    @Override
    public String start() {
        return runs.run();
    }
}
