package dev.runrelay.adapter.sandbox;

import java.util.Locale;

/**
 * What the sandbox assistant plays, chosen by keywords in the user's input (case-insensitive, the
 * first matching row wins). The keywords are documented in the README.
 */
enum Scenario {
    /** The stream fails mid-answer with {@code stream_interrupted} (onError), like a dropped connection. */
    INTERRUPTED("interrupt", "disconnect"),
    /** The run fails at the provider: status {@code failed} with {@code last_error}, then the stream ends. */
    FAILED("fail", "error"),
    /** A code-interpreter step (code input fragments, then logs output), then an answer. */
    CODE("code", "python", "calculate"),
    /** A {@code get_weather} function call; the run requires action until the outputs are submitted. */
    WEATHER("weather"),
    /** A long answer (several seconds at the default pace): the one to cancel mid-stream. */
    LONG("slow", "long", "story"),
    /** A plain answer. */
    PLAIN();

    private final String[] keywords;

    Scenario(String... keywords) {
        this.keywords = keywords;
    }

    static Scenario select(String input) {
        String text = input == null ? "" : input.toLowerCase(Locale.ROOT);
        for (Scenario scenario : values()) {
            for (String keyword : scenario.keywords) {
                if (text.contains(keyword)) {
                    return scenario;
                }
            }
        }
        return PLAIN;
    }
}
