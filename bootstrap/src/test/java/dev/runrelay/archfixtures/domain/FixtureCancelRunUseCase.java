package dev.runrelay.archfixtures.domain;

/** Breaks USE_CASES_ARE_INTERFACES_IN_APPLICATION_USECASE: an interface, but a use case in the domain. */
public interface FixtureCancelRunUseCase {

    void cancel(String runId);
}
