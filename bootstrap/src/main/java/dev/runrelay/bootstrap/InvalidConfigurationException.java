package dev.runrelay.bootstrap;

/**
 * The configuration cannot work; start-up stops with {@link #getMessage()} as its one-line reason
 * and {@link #action()} as the fix (see {@link InvalidConfigurationFailureAnalyzer}).
 */
public final class InvalidConfigurationException extends RuntimeException {

    private final String action;

    public InvalidConfigurationException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
