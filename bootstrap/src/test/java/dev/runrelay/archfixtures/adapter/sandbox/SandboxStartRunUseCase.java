package dev.runrelay.archfixtures.adapter.sandbox;

/** Breaks USE_CASES_ARE_INTERFACES_IN_APPLICATION_USECASE: a class named ...UseCase in an adapter. */
public class SandboxStartRunUseCase {

    public String start() {
        return "run_1";
    }
}
