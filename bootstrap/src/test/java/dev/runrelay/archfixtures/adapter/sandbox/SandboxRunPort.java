package dev.runrelay.archfixtures.adapter.sandbox;

/** Breaks PORTS_ARE_INTERFACES_IN_DOMAIN_PORT: a class named ...Port, outside domain.port. */
public class SandboxRunPort {

    public String run() {
        return "run_1";
    }
}
