package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.context.reactive.StandardReactiveWebEnvironment;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Which starts keep Spring AOT's build-time bean graph. Each case prepares the environment exactly as
 * {@code RunRelayApplication} does (the packaged application.yml, the command line, the given environment
 * variables) and stops before any bean is made.
 */
class SpringAotFallbackTest {

    @AfterEach
    void clearTheFlag() {
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
    }

    @Test
    void theReadmesOwnStarts_keepTheBuildTimeGraph() {
        assertThat(mismatchOf(Map.of())).isEmpty();
        assertThat(mismatchOf(Map.of(), "--server.port=9090", "--runrelay.sandbox.seed=7")).isEmpty();
        assertThat(mismatchOf(Map.of(), "--server.port=0", "--management.server.port=0", "--runrelay.provider=sandbox",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN")).isEmpty();
        assertThat(mismatchOf(Map.of("OPENAI_API_KEY", "sk-test", "SERVER_ADDRESS", "0.0.0.0",
                "RUNRELAY_AUTH_MODE", "token", "RUNRELAY_WS_TOKEN", "secret", "MANAGEMENT_SERVER_PORT", "9091")))
                .as("a key, an address, a token and another management port are bound at run time").isEmpty();
    }

    @Test
    void anotherStore_leavesTheGraph_whetherByArgumentOrByEnvironment() {
        assertThat(mismatchOf(Map.of(), "--runrelay.store=redis")).contains("runrelay.store=redis");
        assertThat(mismatchOf(Map.of("RUNRELAY_STORE", "redis"))).contains("runrelay.store=redis");
    }

    @Test
    void aManagementPortThatIsNotAPortOfItsOwn_leavesTheGraph() {
        assertThat(mismatchOf(Map.of(), "--management.server.port=-1")).contains("management port disabled");
        assertThat(mismatchOf(Map.of(), "--management.server.port=8080")).contains("management port same");
        assertThat(mismatchOf(Map.of(), "--server.port=8081")).contains("management port same");
    }

    @Test
    void settingsThatSpringBootsConditionsRead_leaveTheGraph() {
        assertThat(mismatchOf(Map.of("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "https://issuer.example")))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("spring.security.oauth2.resourceserver.jwt.issuer"));
        assertThat(mismatchOf(Map.of(), "--management.endpoints.web.exposure.include=prometheus"))
                .contains("management.endpoints.web.exposure.include is set");
        assertThat(mismatchOf(Map.of(), "--spring.profiles.active=dev")).contains("spring.profiles.active is set");
        assertThat(mismatchOf(Map.of(), "--server.ssl.enabled=true")).contains("server.ssl.enabled is set");
    }

    @Test
    void withAotOn_aMismatchSwitchesItOff_andAMatchLeavesItOn() {
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
        prepare(Map.of(), new SpringAotFallback(), "--server.port=9090");
        assertThat(AotDetector.useGeneratedArtifacts()).isTrue();

        prepare(Map.of(), new SpringAotFallback(), "--runrelay.store=redis");
        assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
    }

    /**
     * SpringAotFallback knows the one property our own {@code @Conditional}s read ({@code runrelay.store}); a new
     * one must be taught to it, or ./run would silently keep the build's outcome. This fails until it is.
     */
    @Test
    void theOnlyPropertyOurOwnConditionsRead_isTheStore() {
        var ours = new com.tngtech.archunit.core.importer.ClassFileImporter()
                .withImportOption(com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.runrelay");
        java.util.Set<String> read = new java.util.TreeSet<>();
        for (var type : ours) {
            java.util.stream.Stream.concat(java.util.stream.Stream.of(type), type.getMethods().stream())
                    .flatMap(member -> member.getAnnotations().stream())
                    .filter(annotation -> annotation.getRawType().getName().startsWith("org.springframework.boot.autoconfigure.condition.")
                            || annotation.getRawType().getName().equals("org.springframework.context.annotation.Conditional"))
                    .forEach(annotation -> read.add(annotation.getRawType().getSimpleName() + " "
                            + propertyNames(annotation.get("name").orElse(null)) + propertyNames(annotation.get("value").orElse(null))));
        }
        assertThat(read).containsExactly("ConditionalOnProperty [runrelay.store][]");
    }

    private static String propertyNames(Object value) {
        return value instanceof Object[] names ? java.util.Arrays.toString(names) : "";
    }

    private static Optional<String> mismatchOf(Map<String, Object> environmentVariables, String... args) {
        AtomicReference<Optional<String>> mismatch = new AtomicReference<>();
        prepare(environmentVariables,
                event -> mismatch.set(SpringAotFallback.mismatch(event.getEnvironment())), args);
        return mismatch.get();
    }

    /** Runs the app up to its prepared environment, hands that to {@code listener}, and stops there. */
    private static void prepare(Map<String, Object> environmentVariables,
            org.springframework.context.ApplicationListener<ApplicationEnvironmentPreparedEvent> listener,
            String... args) {
        ConfigurableEnvironment environment = new StandardReactiveWebEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        environmentVariables));
        var application = new SpringApplication(RunRelayApplication.class);
        application.setEnvironment(environment);
        application.addListeners(listener, (ApplicationEnvironmentPreparedEvent event) -> {
            throw new SpringApplication.AbandonedRunException();
        });
        assertThatThrownBy(() -> application.run(args)).isInstanceOf(SpringApplication.AbandonedRunException.class);
    }
}
