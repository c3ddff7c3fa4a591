package dev.runrelay.adapter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioTest {

    @ParameterizedTest
    @CsvSource({
        "Hello there, PLAIN",
        "Write some CODE, CODE",
        "use python to add numbers, CODE",
        "calculate 2+2, CODE",
        "What's the weather in Oslo?, WEATHER",
        "please fail, FAILED",
        "show me an error, FAILED",
        "tell me a long story, LONG",
        "be slow, LONG",
        "interrupt the stream, INTERRUPTED",
    })
    void keywordsInTheInput_chooseTheScenario(String input, Scenario expected) {
        assertThat(Scenario.select(input)).isEqualTo(expected);
    }

    @Test
    void noInput_isAPlainAnswer() {
        assertThat(Scenario.select(null)).isEqualTo(Scenario.PLAIN);
    }

    @Test
    void location_isTheWordAfterIn_orBerlin() {
        assertThat(Scripts.location("weather in paris today")).isEqualTo("Paris");
        assertThat(Scripts.location("weather?")).isEqualTo("Berlin");
    }
}
