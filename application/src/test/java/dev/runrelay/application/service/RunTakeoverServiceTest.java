package dev.runrelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.port.RunTakeoverPort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Who reads a taken-over run from the provider: only the instance whose claim the log granted. */
class RunTakeoverServiceTest {

    /** A log whose claims are granted or refused as the test says, recording who asked. */
    static final class ClaimingLog implements RunEventLogPort {
        final List<String> claims = new ArrayList<>();
        boolean grant;

        @Override
        public void append(String runId, Entry entry) {}

        @Override
        public Flow.Publisher<Entry> read(String runId, long afterSeq) {
            return FlowBridge.toFlow(Flux.empty());
        }

        @Override
        public void markResumed(String runId, Instant at) {}

        @Override
        public CompletionStage<Optional<Instant>> lastResumed(String runId) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Boolean> claimProducer(String runId) {
            claims.add(runId);
            return CompletableFuture.completedFuture(grant);
        }
    }

    private final ClaimingLog log = new ClaimingLog();
    private final List<String> continued = new ArrayList<>();
    private final RunTakeoverPort provider = (threadId, runId) -> {
        continued.add(runId);
        return FlowBridge.toFlow(Flux.just(new RunEvent.ThreadCreated(threadId)));
    };

    @Test
    void withoutAProviderTakeover_nothingIsClaimed_asForTheSandbox() {
        var service = new RunTakeoverService(log, null, failure -> Optional.empty());

        assertThat(service.available()).isFalse();
        assertThat(service.claim("thread_1", "run_1").toCompletableFuture().join()).isEmpty();
        assertThat(log.claims).isEmpty();
    }

    @Test
    void aRefusedClaim_readsNothingFromTheProvider() {
        var service = new RunTakeoverService(log, provider, failure -> Optional.empty());

        assertThat(service.claim("thread_1", "run_1").toCompletableFuture().join()).isEmpty();
        assertThat(log.claims).containsExactly("run_1");
        assertThat(continued).isEmpty();
    }

    @Test
    void aGrantedClaim_givesTheProvidersEvents_withItsFailuresTranslated() {
        log.grant = true;
        var translated = new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, "down");
        RunTakeoverPort failing = (threadId, runId) -> FlowBridge.toFlow(Flux.error(new IllegalStateException("sdk")));
        var service = new RunTakeoverService(log, provider, failure -> Optional.of(translated));

        var events = service.claim("thread_1", "run_1").toCompletableFuture().join().orElseThrow();
        assertThat(FlowBridge.toFlux(events).collectList().block()).containsExactly(new RunEvent.ThreadCreated("thread_1"));

        var failed = new RunTakeoverService(log, failing, failure -> Optional.of(translated))
                .claim("thread_1", "run_1").toCompletableFuture().join().orElseThrow();
        assertThat(FlowBridge.toFlux(failed).materialize().blockLast().getThrowable()).isSameAs(translated);
    }
}
