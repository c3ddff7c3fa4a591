package dev.runrelay.application.service;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.fixtures.TestCommands;
import dev.runrelay.domain.fixtures.TestRuns;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManageRunServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryRunPort runs = new InMemoryRunPort().with(TestRuns.aRun().withStatus(RunStatus.IN_PROGRESS).build());
    private final ManageRunService service = new ManageRunService(runs);

    @Test
    void retrieveRun_returnsTheProvidersRun() {
        var run = await(service.retrieveRun(TestCommands.aRetrieveRunCommand()));

        assertThat(run.id()).isEqualTo(RUN_ID);
        assertThat(runs.received).containsExactly(TestCommands.aRetrieveRunCommand());
    }

    @Test
    void givenUnknownRun_retrieveRun_failsWithTheProvidersNotFound() {
        var stage = service.retrieveRun(new RetrieveRunCommand(THREAD_ID, "run_unknown"));

        assertThat(stage.toCompletableFuture())
                .failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RunRelayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void cancelRun_passesTheCommandOnAndReturnsTheCancellingRun() {
        var run = await(service.cancelRun(TestCommands.aCancelRunCommand()));

        assertThat(run.status()).isEqualTo(RunStatus.CANCELLING);
        assertThat(runs.received).containsExactly(TestCommands.aCancelRunCommand());
    }

    @Test
    void updateRun_replacesTheMetadata() {
        var run = await(service.updateRun(TestCommands.anUpdateRunCommand(Map.of("topic", "weather"))));

        assertThat(run.metadata()).containsExactly(Map.entry("topic", "weather"));
        assertThat(await(service.retrieveRun(TestCommands.aRetrieveRunCommand())).metadata())
                .containsEntry("topic", "weather");
    }

    @Test
    void listRuns_passesThePageOn() {
        runs.with(TestRuns.aRun().withId("run_2").withCreatedAt(TestRuns.CREATED_AT.plusSeconds(60)).build());
        var command = new ListRunsCommand(THREAD_ID, new PageRequest(1, SortOrder.DESC, null, null));

        var page = await(service.listRuns(command));

        assertThat(page.data()).extracting(r -> r.id()).containsExactly("run_2");
        assertThat(page.hasMore()).isTrue();
        assertThat(runs.received).containsExactly(command);
    }

    @Test
    void nullCommand_isRefusedNamingTheCommand_andTheProviderIsNotCalled() {
        assertInvalidRequest(() -> service.retrieveRun(null), "command");
        assertInvalidRequest(() -> service.listRuns(null), "command");
        assertInvalidRequest(() -> service.updateRun(null), "command");
        assertInvalidRequest(() -> service.cancelRun(null), "command");

        assertThat(runs.received).isEmpty();
    }

    @Test
    void needsARunPort() {
        assertThatNullPointerException().isThrownBy(() -> new ManageRunService(null)).withMessage("runs");
    }

    private static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }
}
