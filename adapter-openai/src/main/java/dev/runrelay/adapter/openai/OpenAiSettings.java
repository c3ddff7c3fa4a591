package dev.runrelay.adapter.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an OpenAI-compatible server; shared by the Assistants and the Responses providers.
 *
 * <p>Timeouts are chosen for long streams: there is no overall request deadline (openai-java's
 * default of 10 minutes covers reading the whole body and would cut a long, healthy stream);
 * {@code readTimeout} bounds the silence between two bytes instead, and the error-handling aspect
 * adds its own time-to-first-event and idle limits.
 *
 * @param apiKey the secret key; never printed by {@link #toString()}
 * @param baseUrl e.g. {@code https://api.openai.com/v1}, or any server speaking the same wire format
 * @param organization the {@code OpenAI-Organization} header, or null
 * @param project the {@code OpenAI-Project} header, or null
 * @param connectTimeout time to open the TCP/TLS connection
 * @param readTimeout longest silence between two bytes of a response (also of a stream)
 * @param requestTimeout overall deadline of a call including its body; {@link Duration#ZERO} for
 *     none (the default, so streams are not cut)
 * @param maxRetries the SDK's own retries: 0 by default, because the resilience4j policies in
 *     bootstrap are the one layer that retries (retrying in both would multiply attempts)
 * @param maxConcurrentRequests connections open at once (further requests wait for one); an open
 *     stream holds one, so the default (4096) stays above the stream bulkhead's
 */
public record OpenAiSettings(
        String apiKey,
        String baseUrl,
        String organization,
        String project,
        Duration connectTimeout,
        Duration readTimeout,
        Duration requestTimeout,
        int maxRetries,
        int maxConcurrentRequests) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 0;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 4096;

    public OpenAiSettings {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("OpenAI API key is required (OPENAI_API_KEY)");
        }
        baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : stripTrailingSlash(baseUrl);
        URI uri = URI.create(baseUrl);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("OpenAI base URL must be http(s): " + baseUrl);
        }
        organization = blankToNull(organization);
        project = blankToNull(project);
        connectTimeout = positiveOr(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        readTimeout = positiveOr(readTimeout, DEFAULT_READ_TIMEOUT, "readTimeout");
        requestTimeout = requestTimeout == null ? Duration.ZERO : requestTimeout;
        if (requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must not be negative");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative");
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be positive");
        }
    }

    /** The defaults for everything but the key. */
    public static OpenAiSettings of(String apiKey) {
        return new OpenAiSettings(apiKey, null, null, null, null, null, null,
                DEFAULT_MAX_RETRIES, DEFAULT_MAX_CONCURRENT_REQUESTS);
    }

    public OpenAiSettings withBaseUrl(String newBaseUrl) {
        return new OpenAiSettings(apiKey, newBaseUrl, organization, project, connectTimeout, readTimeout,
                requestTimeout, maxRetries, maxConcurrentRequests);
    }

    public OpenAiSettings withTimeouts(Duration connect, Duration read, Duration request) {
        return new OpenAiSettings(apiKey, baseUrl, organization, project, connect, read, request,
                maxRetries, maxConcurrentRequests);
    }

    public OpenAiSettings withOrganizationAndProject(String newOrganization, String newProject) {
        return new OpenAiSettings(apiKey, baseUrl, newOrganization, newProject, connectTimeout, readTimeout,
                requestTimeout, maxRetries, maxConcurrentRequests);
    }

    public OpenAiSettings withMaxRetries(int newMaxRetries) {
        return new OpenAiSettings(apiKey, baseUrl, organization, project, connectTimeout, readTimeout,
                requestTimeout, newMaxRetries, maxConcurrentRequests);
    }

    @Override
    public String toString() {
        return "OpenAiSettings[apiKey=****, baseUrl=" + baseUrl
                + ", organization=" + organization + ", project=" + project
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries
                + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }

    private static String stripTrailingSlash(String url) {
        String trimmed = url.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return Objects.requireNonNull(value);
    }
}
