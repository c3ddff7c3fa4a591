package dev.runrelay.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line options with defaults; an unknown option is an error, not a silent default. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
    }

    String string(String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(string(name, Integer.toString(fallback)));
    }

    long longValue(String name, long fallback) {
        return Long.parseLong(string(name, Long.toString(fallback)));
    }

    /** Call after reading every option: fails on a misspelt one. */
    void requireAllUsed() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + values.keySet());
        }
    }
}
