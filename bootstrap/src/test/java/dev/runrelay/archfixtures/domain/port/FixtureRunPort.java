package dev.runrelay.archfixtures.domain.port;

/** A well-formed driven port, so the fixtures have something legal to depend on. */
public interface FixtureRunPort {

    String run();
}
