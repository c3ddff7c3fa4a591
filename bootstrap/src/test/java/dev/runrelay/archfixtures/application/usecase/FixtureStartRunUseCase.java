package dev.runrelay.archfixtures.application.usecase;

/** A well-formed driving port. */
public interface FixtureStartRunUseCase {

    String start();
}
