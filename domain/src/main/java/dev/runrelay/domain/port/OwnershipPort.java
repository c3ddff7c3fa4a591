package dev.runrelay.domain.port;

import dev.runrelay.domain.owner.Owner;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Who owns which thread and run: the record behind the rule that a caller sees only what it started
 * (docs/adr/0017). Non-blocking, and shaped for a shared store behind many gateway instances: the only
 * write is a claim, which is create-if-absent (Redis {@code SET key owner NX}, then {@code GET}) and
 * never overwrites, so two instances that race agree on one owner. Records are never changed; a store
 * may expire them (the provider's own retention is the natural bound), after which the thread or run
 * counts as created outside the gateway.
 *
 * <p>Threads and runs are separate key spaces (a thread id and a run id never collide in meaning even
 * if their strings did).
 */
public interface OwnershipPort {

    /**
     * Records {@code owner} as the owner of thread {@code threadId} unless the thread already has one.
     * Completes with the owner in force afterwards: {@code owner} itself, or the earlier owner that won.
     */
    CompletionStage<Owner> claimThread(String threadId, Owner owner);

    /** The recorded owner of thread {@code threadId}; empty when the gateway never recorded one. */
    CompletionStage<Optional<Owner>> threadOwner(String threadId);

    /** As {@link #claimThread}, for run {@code runId}. */
    CompletionStage<Owner> claimRun(String runId, Owner owner);

    /** The recorded owner of run {@code runId}; empty when the gateway never recorded one. */
    CompletionStage<Optional<Owner>> runOwner(String runId);
}
