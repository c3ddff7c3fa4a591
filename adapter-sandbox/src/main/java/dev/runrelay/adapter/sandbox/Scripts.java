package dev.runrelay.adapter.sandbox;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The canned texts, code and arguments the sandbox assistant plays. */
final class Scripts {

    static final String WEATHER_FUNCTION = "get_weather";
    static final String DEFAULT_LOCATION = "Berlin";

    static final List<String> PLAIN_ANSWERS = List.of(
            "Hello! I am the RunRelay sandbox assistant. I run offline and answer from a script, so you can "
                    + "watch a run stream without an API key. You wrote: \"%s\". Ask me to write some code, for the "
                    + "weather, for a long story, or to fail, and I will play that case.",
            "Hi there! This answer comes from the sandbox provider: no network, no model, just a seeded script "
                    + "streamed word by word. You wrote: \"%s\". Try the words code, weather, long or fail to see "
                    + "tool calls, a function call, a long stream to cancel, or a failed run.");

    static final String LONG_ANSWER = String.join(" ", List.of(
            "Once upon a time, in a data centre far away, a small relay server waited for its first run.",
            "Every morning it opened its sockets, listened for browsers, and counted the frames it would send.",
            "One day a message arrived: tell me a long story. The relay passed it to its assistant, and the",
            "assistant began to write, one word at a time, each word a tiny frame racing down the wire.",
            "The browser caught every frame and set it on the page, and the reader watched the story grow.",
            "There were mountains of JSON and rivers of bytes, backpressure storms and idle timeouts,",
            "and through all of it the sequence numbers marched on, one, two, three, never skipping a beat.",
            "Halfway through, the reader wondered whether the story would ever end, and reached for the",
            "cancel button. Would the relay notice? Would the assistant stop mid-sentence, or keep talking",
            "to nobody at all? That, dear reader, is exactly what this long answer is here to find out.",
            "So the story went on: the relay kept its promises, every stream ended with exactly one end frame,",
            "and every error came with a code a program could read and a sentence a person could understand.",
            "The assistant wrote about the sea, about trains that ran on time, about a cat that learned to",
            "submit tool outputs, and about a circuit breaker that opened only when it really had to.",
            "And when at last the final word arrived, the relay reported the usage, said goodbye with a",
            "status of completed, and went back to listening for the next run. The end."));

    static final String CODE = """
            import math

            numbers = [1, 2, 3, 4, 5]
            total = sum(n * n for n in numbers)
            print(f"Sum of squares: {total}")
            print(f"Square root: {math.sqrt(total):.4f}")
            """;

    static final String CODE_LOGS = "Sum of squares: 55\nSquare root: 7.4162\n";

    static final String CODE_ANSWER = "I ran the code in the sandbox's interpreter: the sum of the squares of 1 to 5 "
            + "is 55, and its square root is about 7.4162.";

    static final String FAILING_ANSWER = "Let me think about that. The answer starts like this, but then";

    static final String INTERRUPTED_ANSWER = "Here is the beginning of an answer whose stream will break off";

    private static final Pattern LOCATION = Pattern.compile("\\bin ([A-Za-z]{2,40})");
    private static final int QUOTE_LIMIT = 120;
    private static final int OUTPUT_LIMIT = 300;

    private Scripts() {}

    static String plainAnswer(String template, String input) {
        return template.formatted(shorten(input.strip(), QUOTE_LIMIT));
    }

    /** The city after "in" in the input, e.g. "weather in paris" gives "Paris"; else {@value #DEFAULT_LOCATION}. */
    static String location(String input) {
        Matcher matcher = LOCATION.matcher(input);
        if (!matcher.find()) {
            return DEFAULT_LOCATION;
        }
        String word = matcher.group(1).toLowerCase(Locale.ROOT);
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** The JSON arguments of the get_weather call, split as a model streams them. */
    static List<String> weatherArgumentFragments(String location) {
        return List.of("{\"location\":", " \"" + location + "\"", ", \"unit\":", " \"celsius\"}");
    }

    static String weatherAnswer(String location, String output) {
        return "According to " + WEATHER_FUNCTION + ", the weather in " + location + " is: "
                + shorten(output.strip(), OUTPUT_LIMIT) + ". Anything else you would like to know?";
    }

    /** Text split into word-sized fragments, each keeping the space after it, as tokens stream. */
    static List<String> textFragments(String text) {
        return Arrays.asList(text.split("(?<= )"));
    }

    /** Code split into fragments of a line or half a line. */
    static List<String> codeFragments(String code) {
        return Arrays.stream(code.split("(?<=\n)"))
                .flatMap(line -> line.length() > 24
                        ? List.of(line.substring(0, line.length() / 2), line.substring(line.length() / 2)).stream()
                        : List.of(line).stream())
                .toList();
    }

    private static String shorten(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "…";
    }
}
