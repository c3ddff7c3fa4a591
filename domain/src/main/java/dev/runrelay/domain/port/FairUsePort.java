package dev.runrelay.domain.port;

import dev.runrelay.domain.owner.Owner;

/**
 * Fair use of the provider per principal, across all of that principal's connections: how many streams
 * one principal may have at once, and how fast it may start runs. Decides at once and never waits (it is
 * called on an event loop).
 */
public interface FairUsePort {

    /**
     * Takes one of {@code owner}'s concurrent-stream slots and, when {@code startsRun}, one run-start
     * permit.
     *
     * @return the slot, to be released when the stream ends
     * @throws dev.runrelay.domain.error.RunRelayException {@code rate_limited}, with a retry-after, when
     *     either limit is reached; nothing is taken then
     */
    StreamSlot admit(Owner owner, boolean startsRun);

    /** A held stream slot. */
    interface StreamSlot {

        /** Gives the slot back; only the first call counts. */
        void release();
    }
}
