package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

/** A message added to the thread when a run starts, e.g. the user's question. */
public record MessageInput(Role role, String content) {

    public enum Role {
        USER, ASSISTANT
    }

    public MessageInput {
        Check.present("role", role);
        Check.text("content", content);
    }

    public static MessageInput user(String content) {
        return new MessageInput(Role.USER, content);
    }
}
