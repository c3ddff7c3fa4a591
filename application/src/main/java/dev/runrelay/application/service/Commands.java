package dev.runrelay.application.service;

import dev.runrelay.domain.error.InvalidRequestException;

/** Services take commands that validated themselves; the one thing left to refuse is none at all. */
final class Commands {

    private Commands() {}

    static <T> T required(T command) {
        if (command == null) {
            throw new InvalidRequestException("command", "is required");
        }
        return command;
    }
}
