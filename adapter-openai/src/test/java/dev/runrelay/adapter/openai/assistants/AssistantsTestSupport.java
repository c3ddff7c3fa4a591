package dev.runrelay.adapter.openai.assistants;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import java.time.Duration;
import java.util.concurrent.Flow;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/** A fake Assistants server and a provider pointed at it, through the real openai-java client. */
final class AssistantsTestSupport implements AutoCloseable {

    static final String API_KEY = "sk-test-0123456789abcdefghij";

    final FakeAssistantsServer fake;
    final OpenAiClients clients;
    final Provider provider;
    private final OpenAiErrorTranslator translator = new OpenAiErrorTranslator();

    AssistantsTestSupport() {
        this(Duration.ofSeconds(5), Duration.ZERO);
    }

    AssistantsTestSupport(Duration readTimeout, Duration requestTimeout) {
        fake = FakeAssistantsServer.start();
        clients = OpenAiClients.create(OpenAiSettings.of(API_KEY)
                .withBaseUrl(fake.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), readTimeout, requestTimeout));
        provider = OpenAiAssistantsProvider.create(clients);
    }

    /** The stream as the aspect will hand it on: failures translated by the provider's translator. */
    Flux<RunEvent> translated(Flow.Publisher<RunEvent> publisher) {
        return JdkFlowAdapter.flowPublisherToFlux(publisher).onErrorMap(this::translate);
    }

    RunRelayException translate(Throwable failure) {
        return translator.translate(failure)
                .orElseGet(() -> new RunRelayException(ErrorCode.INTERNAL, "untranslated: " + failure, failure));
    }

    @Override
    public void close() {
        clients.close();
        fake.close();
    }
}
