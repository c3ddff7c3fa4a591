package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.RunStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One sandbox run: its latest snapshot, its steps, and what its player is doing. Every change happens
 * under this object's lock; the snapshot is volatile so that status reads need no lock.
 */
final class RunRecord {

    private static final long PROMPT_TOKENS_OF_INSTRUCTIONS = 40;

    private final ThreadRecord thread;
    private final Scenario scenario;
    private final String input;
    private volatile Run run;
    private final List<RunStep> steps = new ArrayList<>();
    private boolean playing;
    private boolean cancelRequested;
    private String openMessageId;
    private final StringBuilder openText = new StringBuilder();
    private final List<dev.runrelay.domain.message.Message> messages = new ArrayList<>();
    private long completionTokens;

    RunRecord(ThreadRecord thread, Run run, String input) {
        this.thread = thread;
        this.run = run;
        this.input = input;
        this.scenario = Scenario.select(input);
    }

    String id() {
        return run.id();
    }

    String threadId() {
        return run.threadId();
    }

    ThreadRecord thread() {
        return thread;
    }

    Scenario scenario() {
        return scenario;
    }

    String input() {
        return input;
    }

    RunStatus status() {
        return run.status();
    }

    Run snapshot() {
        return run;
    }

    synchronized Run update(UnaryOperator<RunBuilder> change) {
        run = change.apply(RunBuilder.from(run)).build();
        return run;
    }

    synchronized List<RunStep> steps() {
        return List.copyOf(steps);
    }

    synchronized Optional<RunStep> step(String stepId) {
        return steps.stream().filter(step -> step.id().equals(stepId)).findFirst();
    }

    /** Adds the step, or replaces the snapshot with the same id. */
    synchronized RunStep putStep(RunStep step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(step.id())) {
                steps.set(i, step);
                return step;
            }
        }
        steps.add(step);
        return step;
    }

    synchronized void startPlaying() {
        playing = true;
        cancelRequested = false;
    }

    synchronized void stopPlaying() {
        playing = false;
    }

    synchronized boolean playing() {
        return playing;
    }

    synchronized void requestCancel() {
        cancelRequested = true;
    }

    /**
     * Runs one beat of the player: {@code action} normally, {@code cancellation} once a cancel was
     * requested, nothing after the segment ended. A beat that emits {@link RunEvent.StreamEnded} ends it.
     */
    synchronized List<RunEvent> act(Supplier<List<RunEvent>> action, Supplier<List<RunEvent>> cancellation) {
        if (!playing) {
            return List.of();
        }
        List<RunEvent> events = cancelRequested ? cancellation.get() : action.get();
        if (events.stream().anyMatch(RunEvent.StreamEnded.class::isInstance)) {
            playing = false;
        }
        return events;
    }

    synchronized void openMessage(String messageId) {
        openMessageId = messageId;
        openText.setLength(0);
    }

    synchronized void appendText(String fragment) {
        openText.append(fragment);
        completionTokens++;
    }

    synchronized void countFragment() {
        completionTokens++;
    }

    /** The id of the message being written, if any. */
    synchronized Optional<String> openMessageId() {
        return Optional.ofNullable(openMessageId);
    }

    /** Keeps a finished message of the run, for {@code listMessages}. */
    synchronized void keepMessage(dev.runrelay.domain.message.Message message) {
        messages.add(message);
    }

    synchronized List<dev.runrelay.domain.message.Message> messages() {
        return List.copyOf(messages);
    }

    /** Ends the message being written and returns its text. */
    synchronized String closeMessage() {
        openMessageId = null;
        return openText.toString();
    }

    synchronized Usage usage() {
        long prompt = PROMPT_TOKENS_OF_INSTRUCTIONS + input.split("\\s+").length;
        return new Usage(prompt, completionTokens, prompt + completionTokens);
    }
}
