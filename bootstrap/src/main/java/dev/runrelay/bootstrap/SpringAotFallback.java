package dev.runrelay.bootstrap;

import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Keeps Spring AOT's build-time bean graph ({@code -Dspring.aot.enabled=true}, which {@code ./run} and the image
 * start with; ADR 0035) only for a start whose configuration that graph was built for, and starts the usual way
 * otherwise, saying so in one line.
 *
 * <p>{@code spring-boot:process-aot} evaluates every {@code @Conditional} once, at build time, with
 * {@code bootstrap/pom.xml}'s arguments: the in-memory store and a management port of its own. A start that sets
 * anything such a condition reads would otherwise silently keep the build's beans: {@code runrelay.store=redis},
 * a management port equal to {@code server.port} or {@code -1}, the JWT resource server's
 * {@code spring.security.oauth2.*}, an actuator exposure, a profile. So AOT stays on only when the store is
 * {@code memory}, the management port is a different one, and no {@code spring.*}, {@code management.*} or
 * {@code server.*} property is set outside the packaged {@code application.yml} except those read at run time
 * only ({@link #READ_AT_RUN_TIME}). Everything else ({@code runrelay.*} but the store, {@code OPENAI_API_KEY},
 * {@code logging.*}) is bound when the beans are created, which AOT does not freeze.
 *
 * <p>Spring Boot asks {@link AotDetector} after the environment is prepared (for the context's type and its
 * initializers), so switching the flag here is in time.
 */
final class SpringAotFallback implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(SpringAotFallback.class);

    private static final Set<String> PREFIXES_READ_BY_CONDITIONS = Set.of("spring", "management", "server");

    static final Set<ConfigurationPropertyName> READ_AT_RUN_TIME = Set.of(
            ConfigurationPropertyName.of(AotDetector.AOT_ENABLED),
            ConfigurationPropertyName.of("server.port"),
            ConfigurationPropertyName.of("server.address"),
            ConfigurationPropertyName.of("management.server.port"),
            ConfigurationPropertyName.of("management.server.address"),
            ConfigurationPropertyName.of("spring.main.banner-mode"),
            ConfigurationPropertyName.of("spring.output.ansi.enabled"));

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        mismatch(event.getEnvironment()).ifPresent(reason -> {
            SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
            log.info("Starting without the build's Spring AOT bean graph ({}): it was built for the in-memory store, "
                    + "a management port of its own and the packaged spring.*/management.* settings; this start "
                    + "takes about a second longer", reason);
        });
    }

    /** Why the build-time bean graph does not fit this environment, or empty when it does. */
    static Optional<String> mismatch(ConfigurableEnvironment environment) {
        String store = environment.getProperty("runrelay.store", StoreProperties.MEMORY);
        if (!StoreProperties.MEMORY.equals(store)) {
            return Optional.of("runrelay.store=" + store);
        }
        ManagementPortType managementPort = ManagementPortType.get(environment);
        if (managementPort != ManagementPortType.DIFFERENT) {
            return Optional.of("management port " + managementPort.name().toLowerCase(java.util.Locale.ROOT));
        }
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (isPackagedConfiguration(source) || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            for (ConfigurationPropertySource properties : ConfigurationPropertySources.from(source)) {
                if (!(properties instanceof IterableConfigurationPropertySource iterable)) {
                    continue;
                }
                Optional<ConfigurationPropertyName> set = iterable.stream()
                        .filter(SpringAotFallback::mayBeReadByACondition)
                        .findFirst();
                if (set.isPresent()) {
                    return Optional.of(set.get() + " is set");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean mayBeReadByACondition(ConfigurationPropertyName name) {
        return !name.isEmpty()
                && PREFIXES_READ_BY_CONDITIONS.contains(name.getElement(0, ConfigurationPropertyName.Form.UNIFORM))
                && !READ_AT_RUN_TIME.contains(name);
    }

    /**
     * The application.yml inside the jar (process-aot read the same file), and what Spring Boot adds itself (the
     * version and PID of {@code applicationInfo}).
     */
    private static boolean isPackagedConfiguration(PropertySource<?> source) {
        return source.getName().contains("class path resource [application") || source.getName().equals("applicationInfo");
    }

    /** After the logging system is up, so the line is written with the app's own format. */
    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
