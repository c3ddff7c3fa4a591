package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runrelay.adapter.openai.responses.AssistantProfile;
import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.adapter.openai.responses.ResponsesSettings;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import reactor.adapter.JdkFlowAdapter;
import reactor.test.StepVerifier;

/** {@code runrelay.openai.responses.*} bound into the Responses provider's settings, and its mistakes refused. */
class ResponsesPropertiesTest {

    /** Generous: the first run loads openai-java cold, on a machine shared by many builds. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}";

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ProviderConfiguration.class)
            .withPropertyValues("runrelay.provider=openai", "runrelay.openai.api-key=sk-test-not-a-real-key",
                    "runrelay.openai.base-url=http://127.0.0.1:9/v1");

    @Test
    void profileWithAFunctionTool_bindsIntoResponsesSettings() {
        context.withPropertyValues(
                        "runrelay.openai.responses.profiles.weather-bot.model=gpt-4.1",
                        "runrelay.openai.responses.profiles.weather-bot.instructions=Answer about the weather.",
                        "runrelay.openai.responses.profiles.weather-bot.temperature=0.2",
                        "runrelay.openai.responses.profiles.weather-bot.vector-store-ids=vs_1,vs_2",
                        "runrelay.openai.responses.profiles.weather-bot.code-interpreter-file-ids=file_1",
                        "runrelay.openai.responses.profiles.weather-bot.tools[0].type=function",
                        "runrelay.openai.responses.profiles.weather-bot.tools[0].name=get_weather",
                        "runrelay.openai.responses.profiles.weather-bot.tools[0].description=The weather in a city.",
                        "runrelay.openai.responses.profiles.weather-bot.tools[0].parameters=" + WEATHER_SCHEMA,
                        "runrelay.openai.responses.profiles.weather-bot.tools[0].strict=true",
                        "runrelay.openai.responses.profiles.weather-bot.tools[1].type=code_interpreter",
                        "runrelay.openai.responses.profiles.weather-bot.tools[2].type=file_search",
                        "runrelay.openai.responses.profiles.weather-bot.tools[2].max-num-results=5")
                .run(started -> {
                    assertThat(started).hasNotFailed();
                    assertThat(settings(started).profiles()).containsEntry("weather-bot", new AssistantProfile(
                            "gpt-4.1", "Answer about the weather.",
                            List.of(new Tool.Function("get_weather", "The weather in a city.", WEATHER_SCHEMA, true),
                                    new Tool.CodeInterpreter(), new Tool.FileSearch(5)),
                            List.of("vs_1", "vs_2"), List.of("file_1"), 0.2));
                });
    }

    @Test
    void theDefaultProfile_keepsTheDefaultModel_andAProfileWithoutModelTakesIt() {
        context.withPropertyValues("runrelay.openai.default-model=gpt-4o-mini",
                        "runrelay.openai.responses.profiles.terse.instructions=Be brief.")
                .run(started -> {
                    var profiles = settings(started).profiles();
                    assertThat(profiles).containsOnlyKeys("default", "terse");
                    assertThat(profiles.get("default")).isEqualTo(AssistantProfile.of("gpt-4o-mini"));
                    assertThat(profiles.get("terse").model()).isEqualTo("gpt-4o-mini");
                    assertThat(profiles.get("terse").instructions()).isEqualTo("Be brief.");
                });
    }

    @Test
    void expiryAndResume_bind() {
        context.withPropertyValues("runrelay.openai.responses.requires-action-expiry=90s",
                        "runrelay.openai.responses.resume-attempts=5",
                        "runrelay.openai.responses.resume-backoff=1s")
                .run(started -> {
                    ResponsesSettings settings = settings(started);
                    assertThat(settings.requiresActionExpiry()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(settings.resumeAttempts()).isEqualTo(5);
                    assertThat(settings.resumeBackoff()).isEqualTo(Duration.ofSeconds(1));
                });
    }

    @Test
    void defaults_whenNothingIsConfigured() {
        context.run(started -> {
            ResponsesSettings settings = settings(started);
            assertThat(settings.profiles()).containsOnlyKeys("default");
            assertThat(settings.profiles().get("default").model()).isEqualTo("gpt-4.1-mini");
            assertThat(settings.requiresActionExpiry()).isEqualTo(Duration.ofMinutes(10));
            assertThat(settings.resumeAttempts()).isEqualTo(3);
            assertThat(settings.resumeBackoff()).isEqualTo(Duration.ofMillis(200));
        });
    }

    /** The shape the commented example in application.yml shows: a schema as a JSON string in a | block. */
    @Test
    void yamlProfile_withTheSchemaAsABlock_binds() {
        String yaml = """
                runrelay:
                  openai:
                    responses:
                      profiles:
                        weather-bot:
                          model: gpt-4.1-mini
                          instructions: You answer questions about the weather.
                          tools:
                            - type: function
                              name: get_weather
                              strict: true
                              parameters: |
                                {"type": "object",
                                 "properties": {"city": {"type": "string"}}}
                          vector-store-ids: [vs_abc123]
                """;
        new ApplicationContextRunner()
                .withInitializer(applicationContext -> applicationContext.getEnvironment().getPropertySources()
                        .addFirst(yaml(yaml)))
                .withUserConfiguration(ProviderConfiguration.class)
                .run(started -> {
                    var function = (Tool.Function) settings(started).profiles().get("weather-bot").tools().getFirst();
                    assertThat(function.name()).isEqualTo("get_weather");
                    assertThat(function.strict()).isTrue();
                    assertThat(function.parametersJson()).startsWith("{\"type\": \"object\",").contains("\"city\"");
                    assertThat(settings(started).profiles().get("weather-bot").vectorStoreIds())
                            .containsExactly("vs_abc123");
                });
    }

    static Stream<Arguments> invalidSettings() {
        String tool = "runrelay.openai.responses.profiles.bot.tools[0]";
        return Stream.of(
                arguments(List.of("profiles.bot.tools[0].type=browser"),
                        tool + ".type must be one of function, code_interpreter, file_search, but is 'browser'."),
                arguments(List.of("profiles.bot.tools[0].description=no type"),
                        tool + ".type must be one of function, code_interpreter, file_search, but is ''."),
                arguments(List.of("profiles.bot.tools[0].type=function"),
                        tool + ".name is required for a function tool."),
                arguments(List.of("profiles.bot.tools[0].type=function", "profiles.bot.tools[0].name=get weather"),
                        tool + ": tools.function.name: must be 1 to 64 letters, digits, '_' or '-'."),
                arguments(List.of("profiles.bot.tools[0].type=function", "profiles.bot.tools[0].name=f",
                                "profiles.bot.tools[0].parameters=[1]"),
                        tool + ".parameters must be a JSON Schema object"),
                arguments(List.of("profiles.bot.tools[0].type=function", "profiles.bot.tools[0].name=f",
                                "profiles.bot.tools[0].parameters={\"type\":"),
                        tool + ".parameters is not valid JSON"),
                arguments(List.of("profiles.bot.tools[0].type=file_search", "profiles.bot.tools[0].max-num-results=99"),
                        tool + ": tools.file_search.maxNumResults"),
                arguments(List.of("profiles.bot.temperature=3"),
                        "runrelay.openai.responses.profiles.bot: temperature must be between 0 and 2."),
                arguments(List.of("requires-action-expiry=-1m"),
                        "runrelay.openai.responses.requires-action-expiry must be positive, but is PT-1M."),
                arguments(List.of("requires-action-expiry=0s"),
                        "runrelay.openai.responses.requires-action-expiry must be positive"),
                arguments(List.of("resume-attempts=-1"),
                        "runrelay.openai.responses.resume-attempts must not be negative, but is -1."),
                arguments(List.of("resume-backoff=-5ms"),
                        "runrelay.openai.responses.resume-backoff must not be negative"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidResponsesSettings_failStartUp_namingTheProperty(List<String> properties, String message) {
        context.withPropertyValues(properties.stream().map(p -> "runrelay.openai.responses." + p).toArray(String[]::new))
                .run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationException.class)
                            .hasMessageStartingWith(message)
                            .hasMessageNotContaining("sk-test-not-a-real-key");
                    var analysis = new InvalidConfigurationFailureAnalyzer().analyze(started.getStartupFailure());
                    assertThat(analysis.getDescription()).startsWith("Invalid RunRelay configuration: " + message)
                            .doesNotContain("\n");
                    assertThat(analysis.getAction()).isEqualTo("Fix runrelay.openai.responses.* (see the README's"
                            + " configuration table and the example in application.yml).");
                });
    }

    @Test
    void invalidProfiles_areIgnoredByTheSandbox() {
        context.withPropertyValues("runrelay.provider=sandbox",
                        "runrelay.openai.responses.profiles.bot.tools[0].type=browser")
                .run(started -> assertThat(started.getBean(Provider.class).name()).isEqualTo("sandbox"));
    }

    @Test
    void aConfiguredProfile_reachesTheResponsesRequest() {
        try (var fake = FakeResponsesServer.start()) {
            fake.enqueue(FakeResponsesScenario.text(3, Duration.ofMillis(1)));
            context.withPropertyValues("runrelay.openai.base-url=" + fake.baseUrl(),
                            "runrelay.openai.responses.profiles.weather-bot.model=gpt-4.1",
                            "runrelay.openai.responses.profiles.weather-bot.instructions=Answer about the weather.",
                            "runrelay.openai.responses.profiles.weather-bot.tools[0].type=function",
                            "runrelay.openai.responses.profiles.weather-bot.tools[0].name=get_weather",
                            "runrelay.openai.responses.profiles.weather-bot.tools[0].parameters=" + WEATHER_SCHEMA)
                    .run(started -> {
                        var command = new CreateThreadAndRunCommand("weather-bot",
                                List.of(MessageInput.user("Weather in Oslo?")), null, null);
                        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(
                                        started.getBean(Provider.class).streams().createThreadAndRunAndStream(command)))
                                .thenConsumeWhile(event -> !(event instanceof RunEvent.StreamEnded))
                                .assertNext(end -> assertThat(((RunEvent.StreamEnded) end).finalStatus())
                                        .isEqualTo(RunStatus.COMPLETED))
                                .expectComplete()
                                .verify(TIMEOUT);
                    });
            JsonNode body = fake.requests("POST", "/v1/responses").getFirst().body();
            assertThat(body.path("model").asText()).isEqualTo("gpt-4.1");
            assertThat(body.path("instructions").asText()).isEqualTo("Answer about the weather.");
            assertThat(body.path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
            assertThat(body.path("tools").get(0).path("parameters").path("required").get(0).asText())
                    .isEqualTo("city");
        }
    }

    private static ResponsesSettings settings(AssertableApplicationContext started) {
        assertThat(started).hasNotFailed();
        return ProviderConfiguration.responsesSettings(started.getBean(RunRelayProperties.class).openai());
    }

    private static PropertySource<?> yaml(String text) {
        try {
            return new YamlPropertySourceLoader()
                    .load("test.yml", new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)))
                    .getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
