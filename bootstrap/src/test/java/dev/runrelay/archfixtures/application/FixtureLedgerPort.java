package dev.runrelay.archfixtures.application;

/** Breaks PORTS_ARE_INTERFACES_IN_DOMAIN_PORT: an interface, but a driven port outside domain.port. */
public interface FixtureLedgerPort {

    void record(String runId);
}
