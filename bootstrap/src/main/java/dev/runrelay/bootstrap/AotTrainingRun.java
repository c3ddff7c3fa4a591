package dev.runrelay.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The training run of the JDK AOT cache (JEP 483/514/515; {@code ./run}, the image): with the system property
 * {@value #PROPERTY}, the app starts fully, serves the requests a start is measured by ({@code /readyz}) and the
 * demo page once over real HTTP, then shuts down, so the cache holds every class and method profile of a start
 * up to the first answered probe. Spring's {@code spring.context.exit=onRefresh} stops before the web servers
 * and the management context start, and so left those out of the cache.
 */
final class AotTrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(AotTrainingRun.class);

    static final String PROPERTY = "runrelay.aot-training";

    private static final List<String> PATHS = List.of("/readyz", "/livez", "/", "/readyz");

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        ConfigurableApplicationContext context = event.getApplicationContext();
        String address = context.getEnvironment().getProperty("server.address", "127.0.0.1");
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        Thread.ofPlatform().name("aot-training").start(() -> {
            int status = 0;
            try {
                for (String path : PATHS) {
                    fetch(URI.create("http://" + address + ":" + port + path));
                }
            } catch (RuntimeException failed) {
                log.error("AOT training run failed: {}", failed.toString());
                status = 1;
            }
            // The JVM writes the AOT cache as it exits.
            System.exit(status == 0 ? SpringApplication.exit(context) : status);
        });
    }

    private static void fetch(URI uri) {
        try {
            var connection = (HttpURLConnection) uri.toURL().openConnection();
            try (InputStream body = connection.getResponseCode() < 400
                    ? connection.getInputStream() : connection.getErrorStream()) {
                if (connection.getResponseCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + connection.getResponseCode());
                }
                body.transferTo(OutputStream.nullOutputStream());
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
