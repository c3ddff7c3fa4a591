package dev.runrelay.bootstrap.access;

import dev.runrelay.adapter.websocket.RunsAuthProperties.AuthMode;
import dev.runrelay.adapter.websocket.RunsAuthentication;
import dev.runrelay.adapter.websocket.RunsWebSocketProperties;
import dev.runrelay.application.service.OwnedRunsService;
import dev.runrelay.application.usecase.CancelRunUseCase;
import dev.runrelay.application.usecase.ListRunStepsUseCase;
import dev.runrelay.application.usecase.ListRunsUseCase;
import dev.runrelay.application.usecase.RetrieveRunStepUseCase;
import dev.runrelay.application.usecase.RetrieveRunUseCase;
import dev.runrelay.application.usecase.StartRunUseCase;
import dev.runrelay.application.usecase.StartThreadAndRunUseCase;
import dev.runrelay.application.usecase.SubmitToolOutputsUseCase;
import dev.runrelay.application.usecase.UpdateRunUseCase;
import dev.runrelay.bootstrap.InvalidConfigurationException;
import dev.runrelay.domain.port.AuditPort;
import dev.runrelay.domain.port.FairUsePort;
import dev.runrelay.domain.port.OwnershipPort;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Who may see a run (docs/adr/0017): the ownership guard around the use cases with its ports (the owner
 * records live in the run store, so StoreConfiguration provides the {@link OwnershipPort}), and the
 * start-up check that the server cannot expose a paid key by accident: {@code none} mode is refused on
 * anything but a loopback address, and one line names the address, the auth and the origins in force.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FairUseProperties.class)
public class AccessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AccessConfiguration.class);

    /** The address the server listens on, checked before any use case is built (so before it listens). */
    @Bean
    ListenAddress runsListenAddress(RunsAuthentication auth, RunsWebSocketProperties websocket, Environment environment) {
        InetAddress address = Binder.get(environment).bind("server.address", InetAddress.class).orElse(null);
        var listen = new ListenAddress(address);
        if (auth.mode() == AuthMode.NONE && !listen.loopback()) {
            throw new InvalidConfigurationException(
                    "runrelay.auth.mode=none (no authentication) is allowed on a loopback address only, but the "
                            + "server listens on " + listen + ".",
                    "Set server.address=127.0.0.1 (SERVER_ADDRESS), or require authentication: "
                            + "runrelay.auth.mode=token with RUNRELAY_WS_TOKEN, or runrelay.auth.mode=jwt.");
        }
        if (auth.mode() == AuthMode.TOKEN && auth.token() == null) {
            throw new InvalidConfigurationException(
                    "runrelay.auth.mode=token needs a shared token, and none is set.",
                    "Set RUNRELAY_WS_TOKEN (or runrelay.websocket.token), or choose runrelay.auth.mode=jwt.");
        }
        log.info("RunRelay listens on {} with auth {}{}; allowed browser origins {} (and the server's own)", listen,
                auth.mode().name().toLowerCase(Locale.ROOT), principalNote(auth, environment),
                websocket.allowedOrigins());
        return listen;
    }

    private static String principalNote(RunsAuthentication auth, Environment environment) {
        return switch (auth.mode()) {
            case NONE -> " (every connection is principal 'local')";
            case TOKEN -> " (shared token; every connection is principal 'token')";
            case JWT -> " (principal from claim '" + environment.getProperty(
                    "spring.security.oauth2.resourceserver.jwt.principal-claim-name", "sub") + "'"
                    + (auth.unrecordedThreadsAllowed() ? ", unrecorded threads claimable" : "") + ")";
        };
    }

    @Bean
    FairUsePort fairUsePort(FairUseProperties fairUse, ObjectProvider<MeterRegistry> meters) {
        return new PrincipalFairUseAdapter(fairUse.maxStreamsPerPrincipal(), fairUse.runsPerPeriod(), fairUse.period(),
                fairUse.maxTrackedPrincipals(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    AuditPort auditPort() {
        return new LogAuditAdapter();
    }

    @Bean
    OwnedRunsService ownedRunsService(
            ListenAddress checked,
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
            RunsAuthentication auth) {
        return new OwnedRunsService(startRun, startThreadAndRun, submitToolOutputs, cancelRun, retrieveRun, listRuns,
                updateRun, listRunSteps, retrieveRunStep, owners, fairUse, audit,
                auth.unrecordedThreadsAllowed()
                        ? OwnedRunsService.UnrecordedIds.CLAIM
                        : OwnedRunsService.UnrecordedIds.REFUSE);
    }

    /** The server's listen address; null means every interface. */
    public record ListenAddress(InetAddress address) {

        public boolean loopback() {
            return address != null && address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address == null ? "every interface (server.address unset)" : address.getHostAddress();
        }
    }
}
