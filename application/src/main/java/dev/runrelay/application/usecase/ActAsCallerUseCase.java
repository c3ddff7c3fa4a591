package dev.runrelay.application.usecase;

import dev.runrelay.domain.owner.Owner;

/**
 * The run operations on behalf of one authenticated caller: every thread and run it starts is recorded as
 * its own, and every thread or run of another principal answers {@code not_found}, exactly like an id that
 * does not exist. Driving adapters call this with the principal of the connection, never the plain use cases.
 */
public interface ActAsCallerUseCase {

    RunUseCases actAs(Owner caller);
}
