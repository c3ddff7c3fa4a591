package dev.runrelay.bootstrap;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives every application context a test starts its own Reactor Netty event loops and connection pool.
 *
 * <p>By default Spring Boot's {@code ReactorResourceFactory} uses Reactor Netty's global resources, and
 * closing a context disposes them: every other live context's servers (the cached test contexts, the
 * other instances of a multi-instance test) and every fake server on the global loops stopped answering
 * at once. The tests keep dozens of contexts cached and close some of them (cache eviction, the
 * multi-instance tests' crashes), so a test could find the server of its cached context gone.
 * {@code ContextIsolationTest} shows it. One application per JVM, as in production, is not affected.
 */
public final class OwnEventLoopsPerContext implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    static final String BEAN_NAME = "reactorResourceFactory";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (context.getParent() != null || context.getBeanFactory().containsSingleton(BEAN_NAME)) {
            return; // a child context (the management server) uses its parent's
        }
        var resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        context.getBeanFactory().registerSingleton(BEAN_NAME, resources);
    }
}
