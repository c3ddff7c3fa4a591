package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RunLifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One sandbox thread: its messages and runs in creation order. Lock order: a thread's lock may be
 * taken while a run's lock is held, never the other way round (run status is read without its lock).
 */
final class ThreadRecord {

    private final String id;
    private final List<MessageInput> messages = new ArrayList<>();
    private final List<RunRecord> runs = new ArrayList<>();

    ThreadRecord(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    /** Adds the messages and the run made by {@code newRun}, refusing while another run is active. */
    synchronized RunRecord startRun(List<MessageInput> newMessages, Supplier<RunRecord> newRun) {
        for (RunRecord run : runs) {
            RunLifecycle.ensureNoActiveRun(id, run.id(), run.status());
        }
        messages.addAll(newMessages);
        RunRecord run = newRun.get();
        runs.add(run);
        return run;
    }

    synchronized void addMessage(MessageInput message) {
        messages.add(message);
    }

    /** The latest user message, which decides the scenario of the next run. */
    synchronized String lastUserInput() {
        for (MessageInput message : messages.reversed()) {
            if (message.role() == MessageInput.Role.USER) {
                return message.content();
            }
        }
        return "";
    }

    synchronized List<RunRecord> runs() {
        return List.copyOf(runs);
    }

    synchronized Optional<RunRecord> run(String runId) {
        return runs.stream().filter(run -> run.id().equals(runId)).findFirst();
    }
}
