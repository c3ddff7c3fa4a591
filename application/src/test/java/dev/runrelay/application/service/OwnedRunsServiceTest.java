package dev.runrelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.application.usecase.RunUseCases;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.fixtures.TestCommands;
import dev.runrelay.domain.fixtures.TestRuns;
import dev.runrelay.domain.owner.AuditEntry;
import dev.runrelay.domain.owner.Owner;
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
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OwnedRunsServiceTest {

    static final Owner ALICE = new Owner("alice");
    static final Owner BOB = new Owner("bob");
    static final String THREAD = "thread_alice";
    static final String RUN = "run_alice";

    final MemoryOwnership owners = new MemoryOwnership();
    final ScriptedRuns provider = new ScriptedRuns();
    final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    final CountingFairUse fairUse = new CountingFairUse();

    OwnedRunsService service(OwnedRunsService.UnrecordedIds unrecorded) {
        return new OwnedRunsService(provider, provider, provider, provider, provider, provider, provider, provider,
                provider, owners, fairUse, audit::add, unrecorded);
    }

    @Test
    void threadAndRunStarted_areClaimedForTheCaller_andInvisibleToAnyoneElse() {
        var service = service(OwnedRunsService.UnrecordedIds.REFUSE);

        Collected events = collect(service.actAs(ALICE).startThreadAndRun(TestCommands.aCreateThreadAndRunCommand().build()));

        assertThat(events.error).isNull();
        assertThat(events.events).hasSize(3);
        assertThat(owners.threads).containsEntry(THREAD, ALICE);
        assertThat(owners.runs).containsEntry(RUN, ALICE);
        assertThat(audit).contains(new AuditEntry(AuditEntry.Action.RUN_STARTED, ALICE, THREAD, RUN));

        RunUseCases bob = service.actAs(BOB);
        assertNotFound(bob.retrieveRun(new RetrieveRunCommand(THREAD, RUN)));
        assertNotFound(bob.cancelRun(new CancelRunCommand(THREAD, RUN)));
        assertNotFound(bob.updateRun(new UpdateRunCommand(THREAD, RUN, Map.of("k", "v"))));
        assertNotFound(bob.listRuns(new ListRunsCommand(THREAD, PageRequest.firstPage())));
        assertNotFound(bob.listRunSteps(new ListRunStepsCommand(THREAD, RUN, PageRequest.firstPage(), null)));
        assertNotFound(bob.retrieveRunStep(new RetrieveRunStepCommand(THREAD, RUN, "step_1", null)));
        assertThat(collect(bob.startRun(TestCommands.aCreateRunCommand().withThreadId(THREAD).build())).error)
                .isInstanceOfSatisfying(RunRelayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(collect(bob.submitToolOutputs(TestCommands.aSubmitToolOutputsCommand()
                        .withThreadId(THREAD).withRunId(RUN).build())).error)
                .isInstanceOfSatisfying(RunRelayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(provider.reads).as("bob's requests never reach the provider").isZero();
        assertThat(provider.streamsOpened).isEqualTo(1);
        assertThat(audit).contains(new AuditEntry(AuditEntry.Action.REFUSED_NOT_OWNER, BOB, THREAD, null));

        assertThat(service.actAs(ALICE).retrieveRun(new RetrieveRunCommand(THREAD, RUN)).toCompletableFuture().join().id())
                .isEqualTo(RUN);
    }

    @Test
    void theEventNamingANewRun_waitsUntilItsClaimIsStored() {
        owners.delayClaims = new CompletableFuture<>();
        var service = service(OwnedRunsService.UnrecordedIds.REFUSE);

        Collected events = collect(service.actAs(ALICE).startThreadAndRun(TestCommands.aCreateThreadAndRunCommand().build()));

        assertThat(events.events).as("nothing naming the thread passes before its owner is stored").isEmpty();
        owners.delayClaims.complete(null);
        assertThat(events.awaitCompleted()).isTrue();
        assertThat(events.events).hasSize(3);
        assertThat(events.events.getFirst()).isInstanceOf(RunEvent.ThreadCreated.class);
    }

    @Test
    void unrecordedThread_isRefusedInRefuseMode_andClaimedByTheFirstCallerInClaimMode() {
        assertNotFound(service(OwnedRunsService.UnrecordedIds.REFUSE).actAs(BOB)
                .retrieveRun(new RetrieveRunCommand("thread_elsewhere", "run_elsewhere")));

        var claiming = service(OwnedRunsService.UnrecordedIds.CLAIM);
        assertThat(claiming.actAs(BOB).retrieveRun(new RetrieveRunCommand("thread_elsewhere", "run_elsewhere"))
                .toCompletableFuture().join().id()).isEqualTo("run_elsewhere");
        assertNotFound(claiming.actAs(ALICE).retrieveRun(new RetrieveRunCommand("thread_elsewhere", "run_elsewhere")));
    }

    @Test
    void listRuns_leavesOutRunsOfOtherPrincipals() {
        owners.threads.put(THREAD, ALICE);
        owners.runs.put("run_foreign", BOB);
        provider.listed = List.of(TestRuns.aRun().withId(RUN).withThreadId(THREAD).build(),
                TestRuns.aRun().withId("run_foreign").withThreadId(THREAD).build());

        Page<Run> page = service(OwnedRunsService.UnrecordedIds.REFUSE).actAs(ALICE)
                .listRuns(new ListRunsCommand(THREAD, PageRequest.firstPage())).toCompletableFuture().join();

        assertThat(page.data()).extracting(Run::id).containsExactly(RUN);
    }

    @Test
    void fairUseRefusal_endsTheStreamBeforeTheProviderIsAsked() {
        fairUse.refuse = true;

        Collected events = collect(service(OwnedRunsService.UnrecordedIds.REFUSE).actAs(ALICE)
                .startThreadAndRun(TestCommands.aCreateThreadAndRunCommand().build()));

        assertThat(events.error).isInstanceOfSatisfying(RunRelayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        assertThat(provider.streamsOpened).isZero();
    }

    @Test
    void streamSlot_isReleasedWhenTheStreamEnds() {
        collect(service(OwnedRunsService.UnrecordedIds.REFUSE).actAs(ALICE)
                .startThreadAndRun(TestCommands.aCreateThreadAndRunCommand().build())).awaitCompleted();

        assertThat(fairUse.held.get()).isZero();
        assertThat(fairUse.admitted.get()).isEqualTo(1);
    }

    @Test
    void cancelByTheOwner_isAudited() {
        owners.threads.put(THREAD, ALICE);
        owners.runs.put(RUN, ALICE);

        service(OwnedRunsService.UnrecordedIds.REFUSE).actAs(ALICE).cancelRun(new CancelRunCommand(THREAD, RUN))
                .toCompletableFuture().join();

        assertThat(audit).containsExactly(new AuditEntry(AuditEntry.Action.RUN_CANCELLED, ALICE, THREAD, RUN));
    }

    @Test
    void resume_isAllowedToTheRunsOwnerOnly_andARefusalLooksLikeAnUnknownRun() {
        var service = service(OwnedRunsService.UnrecordedIds.REFUSE);
        collect(service.actAs(ALICE).startThreadAndRun(TestCommands.aCreateThreadAndRunCommand().build()))
                .awaitCompleted();

        assertThat(service.actAs(ALICE).mayResume(RUN).toCompletableFuture().join()).isNull();
        assertNotFound(service.actAs(BOB).mayResume(RUN));
        assertNotFound(service.actAs(BOB).mayResume("run_unknown"));
        assertThat(audit).contains(new AuditEntry(AuditEntry.Action.REFUSED_NOT_OWNER, BOB, null, RUN),
                new AuditEntry(AuditEntry.Action.REFUSED_NOT_OWNER, BOB, null, "run_unknown"));
        assertThat(owners.runs).as("a refused resume records nothing").doesNotContainKey("run_unknown");
    }

    @Test
    void resumingAnUnrecordedRun_isRefusedInRefuseMode_andClaimedByTheFirstCallerInClaimMode() {
        assertNotFound(service(OwnedRunsService.UnrecordedIds.REFUSE).actAs(ALICE).mayResume("run_elsewhere"));

        var claiming = service(OwnedRunsService.UnrecordedIds.CLAIM);
        assertThat(claiming.actAs(ALICE).mayResume("run_elsewhere").toCompletableFuture().join()).isNull();
        assertThat(owners.runs).containsEntry("run_elsewhere", ALICE);
        assertNotFound(claiming.actAs(BOB).mayResume("run_elsewhere"));
    }

    private static void assertNotFound(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
            throw new AssertionError("expected not_found");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(RunRelayException.class,
                    error -> assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    // ---- Fakes ------------------------------------------------------------------------------------

    static final class MemoryOwnership implements OwnershipPort {
        final Map<String, Owner> threads = new ConcurrentHashMap<>();
        final Map<String, Owner> runs = new ConcurrentHashMap<>();
        volatile CompletableFuture<Void> delayClaims = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Owner> claimThread(String threadId, Owner owner) {
            return delayClaims.thenApply(ready -> threads.computeIfAbsent(threadId, id -> owner));
        }

        @Override
        public CompletionStage<Optional<Owner>> threadOwner(String threadId) {
            return CompletableFuture.completedFuture(Optional.ofNullable(threads.get(threadId)));
        }

        @Override
        public CompletionStage<Owner> claimRun(String runId, Owner owner) {
            return delayClaims.thenApply(ready -> runs.computeIfAbsent(runId, id -> owner));
        }

        @Override
        public CompletionStage<Optional<Owner>> runOwner(String runId) {
            return CompletableFuture.completedFuture(Optional.ofNullable(runs.get(runId)));
        }
    }

    static final class CountingFairUse implements FairUsePort {
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger admitted = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public StreamSlot admit(Owner owner, boolean startsRun) {
            if (refuse) {
                throw new RunRelayException(ErrorCode.RATE_LIMITED, "slow down", Duration.ofSeconds(1), null, true, null);
            }
            admitted.incrementAndGet();
            held.incrementAndGet();
            var released = new java.util.concurrent.atomic.AtomicBoolean();
            return () -> {
                if (released.compareAndSet(false, true)) {
                    held.decrementAndGet();
                }
            };
        }
    }

    /** A provider whose every stream creates {@link #THREAD} and {@link #RUN}, and whose reads are counted. */
    static final class ScriptedRuns implements RunUseCases {
        volatile int streamsOpened;
        volatile int reads;
        volatile List<Run> listed = List.of();

        private Flow.Publisher<RunEvent> stream() {
            streamsOpened++;
            Run run = TestRuns.aRun().withId(RUN).withThreadId(THREAD).build();
            return just(List.of(new RunEvent.ThreadCreated(THREAD), new RunEvent.RunStatusChanged(run),
                    new RunEvent.StreamEnded(THREAD, RUN, run.status(), null)));
        }

        @Override
        public Flow.Publisher<RunEvent> startRun(CreateRunCommand command) {
            return stream();
        }

        @Override
        public Flow.Publisher<RunEvent> startThreadAndRun(CreateThreadAndRunCommand command) {
            return stream();
        }

        @Override
        public Flow.Publisher<RunEvent> submitToolOutputs(SubmitToolOutputsCommand command) {
            return stream();
        }

        @Override
        public CompletionStage<Run> cancelRun(CancelRunCommand command) {
            return read(TestRuns.aRun().withId(command.runId()).withThreadId(command.threadId()).build());
        }

        @Override
        public CompletionStage<Run> retrieveRun(RetrieveRunCommand command) {
            return read(TestRuns.aRun().withId(command.runId()).withThreadId(command.threadId()).build());
        }

        @Override
        public CompletionStage<Page<Run>> listRuns(ListRunsCommand command) {
            return read(new Page<>(listed, null, null, false));
        }

        @Override
        public CompletionStage<Run> updateRun(UpdateRunCommand command) {
            return read(TestRuns.aRun().withId(command.runId()).withThreadId(command.threadId()).build());
        }

        @Override
        public CompletionStage<Page<RunStep>> listRunSteps(ListRunStepsCommand command) {
            return read(new Page<>(List.of(), null, null, false));
        }

        @Override
        public CompletionStage<RunStep> retrieveRunStep(RetrieveRunStepCommand command) {
            return read(null);
        }

        @Override
        public CompletionStage<Void> mayResume(String runId) {
            return read(null);
        }

        private <T> CompletionStage<T> read(T value) {
            reads++;
            return CompletableFuture.completedFuture(value);
        }
    }

    static Flow.Publisher<RunEvent> just(List<RunEvent> events) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int next;
            private boolean done;

            @Override
            public void request(long n) {
                for (long i = 0; i < n && !done; i++) {
                    if (next < events.size()) {
                        subscriber.onNext(events.get(next++));
                    }
                    if (next == events.size()) {
                        done = true;
                        subscriber.onComplete();
                    }
                }
            }

            @Override
            public void cancel() {
                done = true;
            }
        });
    }

    static Collected collect(Flow.Publisher<RunEvent> publisher) {
        var collected = new Collected();
        publisher.subscribe(collected);
        return collected;
    }

    static final class Collected implements Flow.Subscriber<RunEvent> {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        volatile Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(RunEvent item) {
            events.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            completed.complete(null);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }

        boolean awaitCompleted() {
            try {
                completed.get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }
}
