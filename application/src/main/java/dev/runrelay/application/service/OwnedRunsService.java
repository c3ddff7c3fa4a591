package dev.runrelay.application.service;

import dev.runrelay.application.usecase.ActAsCallerUseCase;
import dev.runrelay.application.usecase.CancelRunUseCase;
import dev.runrelay.application.usecase.ListRunStepsUseCase;
import dev.runrelay.application.usecase.ListRunsUseCase;
import dev.runrelay.application.usecase.RetrieveRunStepUseCase;
import dev.runrelay.application.usecase.RetrieveRunUseCase;
import dev.runrelay.application.usecase.RunUseCases;
import dev.runrelay.application.usecase.StartRunUseCase;
import dev.runrelay.application.usecase.StartThreadAndRunUseCase;
import dev.runrelay.application.usecase.SubmitToolOutputsUseCase;
import dev.runrelay.application.usecase.UpdateRunUseCase;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.owner.AuditEntry;
import dev.runrelay.domain.owner.Owner;
import dev.runrelay.domain.port.AuditPort;
import dev.runrelay.domain.port.FairUsePort;
import dev.runrelay.domain.port.OwnershipPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ownership as a rule of the core (docs/adr/0017), wrapped around the run use cases whatever provider
 * implements them: each thread and run started through the gateway is claimed for its caller in the
 * {@link OwnershipPort}, and a thread or run of another principal answers {@code not_found} exactly like an
 * unknown id, so nobody learns what exists. The same wrapper applies fair use per principal
 * ({@link FairUsePort}) to streams and writes the audit trail ({@link AuditPort}).
 *
 * <p>An id reaches the caller only after its claim is stored: the event that reveals a new thread or run id
 * is held until the claim completes, so there is no moment at which another caller could claim it first.
 */
public final class OwnedRunsService implements ActAsCallerUseCase {

    /** What to do with a thread or run the gateway has no owner for (created elsewhere, or forgotten). */
    public enum UnrecordedIds {
        /** The first caller to name it becomes its owner: right when every connection is one principal. */
        CLAIM,
        /** It answers {@code not_found}: right when principals are people (jwt mode). */
        REFUSE
    }

    private static final String NOT_FOUND_MESSAGE = "No such thread or run.";

    private final RunUseCases runs;
    private final OwnershipPort owners;
    private final FairUsePort fairUse;
    private final AuditPort audit;
    private final UnrecordedIds unrecorded;

    public OwnedRunsService(
            StartRunUseCase startRun,
            StartThreadAndRunUseCase startThreadAndRun,
            SubmitToolOutputsUseCase submitToolOutputs,
            CancelRunUseCase cancelRun,
            RetrieveRunUseCase retrieveRun,
            ListRunsUseCase listRuns,
            UpdateRunUseCase updateRun,
            ListRunStepsUseCase listRunSteps,
            RetrieveRunStepUseCase retrieveRunStep,
            OwnershipPort owners,
            FairUsePort fairUse,
            AuditPort audit,
            UnrecordedIds unrecorded) {
        this.runs = new Delegates(startRun, startThreadAndRun, submitToolOutputs, cancelRun, retrieveRun, listRuns,
                updateRun, listRunSteps, retrieveRunStep);
        this.owners = Objects.requireNonNull(owners, "owners");
        this.fairUse = Objects.requireNonNull(fairUse, "fairUse");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.unrecorded = Objects.requireNonNull(unrecorded, "unrecorded");
    }

    @Override
    public RunUseCases actAs(Owner caller) {
        return new CallerRuns(Objects.requireNonNull(caller, "caller"));
    }

    /** The use cases as one caller sees them. */
    private final class CallerRuns implements RunUseCases {

        private final Owner caller;

        CallerRuns(Owner caller) {
            this.caller = caller;
        }

        @Override
        public Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command) {
            Commands.required(command);
            return owned(caller, () -> CompletableFuture.completedFuture(null), true,
                    () -> runs.startThreadAndRun(command), true);
        }

        @Override
        public Flow.Publisher<RunEvent> startRun(CreateRunCommand command) {
            Commands.required(command);
            return owned(caller, () -> ownThread(caller, command.threadId()), true,
                    () -> runs.startRun(command), true);
        }

        @Override
        public Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command) {
            Commands.required(command);
            return owned(caller, () -> ownRun(caller, command.threadId(), command.runId()), false,
                    () -> runs.submitToolOutputs(command), false);
        }

        @Override
        public CompletionStage<Run> cancelRun(CancelRunCommand command) {
            Commands.required(command);
            return ownRun(caller, command.threadId(), command.runId())
                    .thenCompose(owned -> runs.cancelRun(command))
                    .thenApply(run -> {
                        audit.record(new AuditEntry(
                                AuditEntry.Action.RUN_CANCELLED, caller, command.threadId(), command.runId()));
                        return run;
                    });
        }

        @Override
        public CompletionStage<Run> retrieveRun(RetrieveRunCommand command) {
            Commands.required(command);
            return ownRun(caller, command.threadId(), command.runId()).thenCompose(owned -> runs.retrieveRun(command));
        }

        @Override
        public CompletionStage<Run> updateRun(UpdateRunCommand command) {
            Commands.required(command);
            return ownRun(caller, command.threadId(), command.runId()).thenCompose(owned -> runs.updateRun(command));
        }

        @Override
        public CompletionStage<Page<Run>> listRuns(ListRunsCommand command) {
            Commands.required(command);
            return ownThread(caller, command.threadId())
                    .thenCompose(owned -> runs.listRuns(command))
                    .thenCompose(page -> callersOnly(caller, page));
        }

        @Override
        public CompletionStage<Page<RunStep>> listRunSteps(ListRunStepsCommand command) {
            Commands.required(command);
            return ownRun(caller, command.threadId(), command.runId())
                    .thenCompose(owned -> runs.listRunSteps(command));
        }

        @Override
        public CompletionStage<RunStep> retrieveRunStep(RetrieveRunStepCommand command) {
            Commands.required(command);
            return ownRun(caller, command.threadId(), command.runId())
                    .thenCompose(owned -> runs.retrieveRunStep(command));
        }

        @Override
        public CompletionStage<Void> mayResume(String runId) {
            Objects.requireNonNull(runId, "runId");
            return ownLoggedRun(caller, runId);
        }
    }

    // ---- The rule ---------------------------------------------------------------------------------

    /** Completes normally when {@code caller} owns the thread; else with {@code not_found}. */
    CompletionStage<Void> ownThread(Owner caller, String threadId) {
        return owners.threadOwner(threadId)
                .thenCompose(recorded -> recorded.isPresent() || unrecorded == UnrecordedIds.REFUSE
                        ? CompletableFuture.completedFuture(recorded)
                        : owners.claimThread(threadId, caller).thenApply(Optional::of))
                .thenCompose(owner -> allowedOrRefused(owner, caller, threadId, null));
    }

    /**
     * Completes normally when {@code caller} owns the thread and no other principal owns the run (a run
     * without a record on the caller's own thread was started outside the gateway on it, and is the
     * caller's too); else with {@code not_found}.
     */
    CompletionStage<Void> ownRun(Owner caller, String threadId, String runId) {
        return ownThread(caller, threadId)
                .thenCompose(owned -> owners.runOwner(runId))
                .thenCompose(owner -> owner.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : allowedOrRefused(owner, caller, threadId, runId));
    }

    /**
     * Completes normally when {@code caller} owns run {@code runId}, known by its id alone (resume names no
     * thread); else with {@code not_found}. A run without a record is treated like an unrecorded thread.
     */
    CompletionStage<Void> ownLoggedRun(Owner caller, String runId) {
        return owners.runOwner(runId)
                .thenCompose(recorded -> recorded.isPresent() || unrecorded == UnrecordedIds.REFUSE
                        ? CompletableFuture.completedFuture(recorded)
                        : owners.claimRun(runId, caller).thenApply(Optional::of))
                .thenCompose(owner -> allowedOrRefused(owner, caller, null, runId));
    }

    private CompletionStage<Void> allowedOrRefused(Optional<Owner> owner, Owner caller, String threadId, String runId) {
        if (owner.isPresent() && owner.get().equals(caller)) {
            return CompletableFuture.completedFuture(null);
        }
        audit.record(new AuditEntry(AuditEntry.Action.REFUSED_NOT_OWNER, caller, threadId, runId));
        return CompletableFuture.failedFuture(notFound());
    }

    /** The page without the runs another principal owns (possible only for runs started outside the gateway). */
    private CompletionStage<Page<Run>> callersOnly(Owner caller, Page<Run> page) {
        List<CompletableFuture<Optional<Owner>>> lookups = new ArrayList<>(page.data().size());
        for (Run run : page.data()) {
            lookups.add(owners.runOwner(run.id()).toCompletableFuture());
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Run> mine = new ArrayList<>(page.data().size());
            for (int i = 0; i < page.data().size(); i++) {
                Optional<Owner> owner = lookups.get(i).join();
                if (owner.isEmpty() || owner.get().equals(caller)) {
                    mine.add(page.data().get(i));
                }
            }
            return mine.size() == page.data().size()
                    ? page
                    : new Page<>(List.copyOf(mine), page.firstId(), page.lastId(), page.hasMore());
        });
    }

    private static RunRelayException notFound() {
        return new RunRelayException(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    // ---- Streams ------------------------------------------------------------------------------------

    /**
     * A stream as {@code caller} may see it: refused with {@code not_found} unless {@code check} passes,
     * admitted by fair use (the slot is held until the stream ends, however it ends), and each event that
     * names a new thread or run held back until its owner is stored, so nobody sees an id before it is
     * theirs. One Flux from the provider to the socket (docs/adr/0010), so Reactor's context reaches the
     * adapter through this layer too.
     */
    private Flow.Publisher<RunEvent> owned(
            Owner caller,
            Supplier<CompletionStage<Void>> check,
            boolean startsRun,
            Supplier<Flow.Publisher<RunEvent>> upstream,
            boolean auditStart) {
        Flux<RunEvent> events = Mono.fromCompletionStage(check)
                .thenMany(Flux.using(
                        () -> fairUse.admit(caller, startsRun),
                        slot -> Flux.defer(() -> {
                            var claims = new Claims(caller, auditStart);
                            return FlowBridge.toFlux(upstream.get()).concatMap(event -> {
                                CompletionStage<Void> claim = claims.in(event);
                                return claim == null ? Mono.just(event)
                                        : Mono.fromCompletionStage(claim).thenReturn(event);
                            });
                        }),
                        FairUsePort.StreamSlot::release))
                .onErrorMap(OwnedRunsService::unwrap);
        return FlowBridge.toFlow(events);
    }

    /** The claims one stream makes: its new thread, then its run, each once. */
    private final class Claims {

        private final Owner caller;
        private final boolean auditStart;
        private String claimedThread;
        private String claimedRun;

        Claims(Owner caller, boolean auditStart) {
            this.caller = caller;
            this.auditStart = auditStart;
        }

        /** The claims {@code event} needs before it may be passed on; null when none. */
        CompletionStage<Void> in(RunEvent event) {
            String threadId = null;
            String runId = null;
            if (event instanceof RunEvent.ThreadCreated created) {
                threadId = created.threadId();
            } else if (event instanceof RunEvent.RunStatusChanged changed) {
                threadId = changed.run().threadId();
                runId = changed.run().id();
            }
            CompletionStage<Void> claims = null;
            if (threadId != null && claimedThread == null) {
                String thread = threadId;
                claimedThread = thread;
                claims = owners.claimThread(thread, caller).thenCompose(owner -> confirm(owner, thread, null));
            }
            if (runId != null && claimedRun == null) {
                String thread = threadId;
                String run = runId;
                claimedRun = run;
                CompletionStage<Void> before = claims == null ? CompletableFuture.completedFuture(null) : claims;
                claims = before.thenCompose(ok -> owners.claimRun(run, caller))
                        .thenCompose(owner -> confirm(owner, thread, run))
                        .thenRun(() -> {
                            if (auditStart) {
                                audit.record(new AuditEntry(AuditEntry.Action.RUN_STARTED, caller, thread, run));
                            }
                        });
            }
            return claims;
        }

        /** A new id already owned by another principal: never shown to this caller. */
        private CompletionStage<Void> confirm(Owner owner, String threadId, String runId) {
            return allowedOrRefused(Optional.of(owner), caller, threadId, runId);
        }
    }

    /** The wrapped use cases, one per operation. */
    private record Delegates(
            StartRunUseCase startRun,
            StartThreadAndRunUseCase startThreadAndRun,
            SubmitToolOutputsUseCase submitToolOutputs,
            CancelRunUseCase cancelRun,
            RetrieveRunUseCase retrieveRun,
            ListRunsUseCase listRuns,
            UpdateRunUseCase updateRun,
            ListRunStepsUseCase listRunSteps,
            RetrieveRunStepUseCase retrieveRunStep)
            implements RunUseCases {

        Delegates {
            Objects.requireNonNull(startRun, "startRun");
            Objects.requireNonNull(startThreadAndRun, "startThreadAndRun");
            Objects.requireNonNull(submitToolOutputs, "submitToolOutputs");
            Objects.requireNonNull(cancelRun, "cancelRun");
            Objects.requireNonNull(retrieveRun, "retrieveRun");
            Objects.requireNonNull(listRuns, "listRuns");
            Objects.requireNonNull(updateRun, "updateRun");
            Objects.requireNonNull(listRunSteps, "listRunSteps");
            Objects.requireNonNull(retrieveRunStep, "retrieveRunStep");
        }

        @Override
        public Flow.Publisher<RunEvent> startRun(CreateRunCommand command) {
            return startRun.startRun(command);
        }

        @Override
        public Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command) {
            return startThreadAndRun.startThreadAndRun(command);
        }

        @Override
        public Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command) {
            return submitToolOutputs.submitToolOutputs(command);
        }

        @Override
        public CompletionStage<Run> cancelRun(CancelRunCommand command) {
            return cancelRun.cancelRun(command);
        }

        @Override
        public CompletionStage<Run> retrieveRun(RetrieveRunCommand command) {
            return retrieveRun.retrieveRun(command);
        }

        @Override
        public CompletionStage<Page<Run>> listRuns(ListRunsCommand command) {
            return listRuns.listRuns(command);
        }

        @Override
        public CompletionStage<Run> updateRun(UpdateRunCommand command) {
            return updateRun.updateRun(command);
        }

        @Override
        public CompletionStage<Page<RunStep>> listRunSteps(ListRunStepsCommand command) {
            return listRunSteps.listRunSteps(command);
        }

        @Override
        public CompletionStage<RunStep> retrieveRunStep(RetrieveRunStepCommand command) {
            return retrieveRunStep.retrieveRunStep(command);
        }

        /** Never asked: resuming reads the gateway's own log, and only the owner rule (CallerRuns) decides it. */
        @Override
        public CompletionStage<Void> mayResume(String runId) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
