package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.RETRIEVE;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.fail;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Each failed call is logged once, at a level that fits its code, with ids and never a secret. */
class FailureLoggingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScriptedProvider provider = new ScriptedProvider();
    private final Logger logger = (Logger) LoggerFactory.getLogger(FailureReporter.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void clientMistake_isLoggedOnceAtInfo_withOperationIdsCodeAndRequestId() {
        provider.then(fail(FakeSdk.http(404)));
        call();
        List<ILoggingEvent> failures = failureLines();
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst().getLevel()).isEqualTo(Level.INFO);
        assertThat(failures.getFirst().getFormattedMessage())
                .contains("operation=runs.retrieve", "code=not_found", "threadId=thread_1", "runId=run_1",
                        "providerRequestId=req_404", "attempts=1");
    }

    @Test
    void outlastingOutage_isLoggedOnceAtError_afterEachRetryAtInfo() {
        provider.then(fail(FakeSdk.http(503)), fail(FakeSdk.http(503)), fail(FakeSdk.http(503)));
        call();
        assertThat(failureLines()).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("code=provider_unavailable", "attempts=3");
        });
        assertThat(appender.list)
                .filteredOn(event -> event.getFormattedMessage().startsWith("retrying"))
                .hasSize(2)
                .allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.INFO));
    }

    @Test
    void untranslatableFailure_logsItsTypeButNeverItsMessage() {
        provider.then(fail(new FakeSdk.Mystery()));
        call();
        assertThat(failureLines()).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("code=internal", FakeSdk.Mystery.class.getName());
            assertThat(event.getThrowableProxy()).isNull();
        });
        assertThat(appender.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("sk-secret"));
    }

    private void call() {
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE))).expectError().verify(TIMEOUT);
        }
    }

    private List<ILoggingEvent> failureLines() {
        return appender.list.stream()
                .filter(event -> event.getFormattedMessage().startsWith("provider call failed"))
                .toList();
    }
}
