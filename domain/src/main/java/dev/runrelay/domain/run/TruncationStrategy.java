package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

/** How the thread is cut to fit the context window: {@code auto}, or the last N messages. */
public record TruncationStrategy(Type type, Integer lastMessages) {

    public enum Type {
        AUTO, LAST_MESSAGES
    }

    public TruncationStrategy {
        Check.present("truncationStrategy.type", type);
        if (type == Type.LAST_MESSAGES) {
            Check.present("truncationStrategy.lastMessages", lastMessages);
            Check.atLeast("truncationStrategy.lastMessages", lastMessages, 1);
        }
    }
}
