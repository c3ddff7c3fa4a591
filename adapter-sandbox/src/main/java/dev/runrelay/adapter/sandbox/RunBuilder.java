package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.run.IncompleteDetails;
import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.shared.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Copies a {@link Run} snapshot with some fields changed: runs are immutable records. */
final class RunBuilder {

    private final String id;
    private final String threadId;
    private final String assistantId;
    private RunStatus status;
    private final String model;
    private final String instructions;
    private final List<Tool> tools;
    private final Instant createdAt;
    private Instant startedAt;
    private final Instant expiresAt;
    private Instant cancelledAt;
    private Instant failedAt;
    private Instant completedAt;
    private RequiredAction requiredAction;
    private RunError lastError;
    private final IncompleteDetails incompleteDetails;
    private Usage usage;
    private Map<String, String> metadata;
    private final RunSettings settings;

    private RunBuilder(Run run) {
        id = run.id();
        threadId = run.threadId();
        assistantId = run.assistantId();
        status = run.status();
        model = run.model();
        instructions = run.instructions();
        tools = run.tools();
        createdAt = run.createdAt();
        startedAt = run.startedAt();
        expiresAt = run.expiresAt();
        cancelledAt = run.cancelledAt();
        failedAt = run.failedAt();
        completedAt = run.completedAt();
        requiredAction = run.requiredAction();
        lastError = run.lastError();
        incompleteDetails = run.incompleteDetails();
        usage = run.usage();
        metadata = run.metadata();
        settings = run.settings();
    }

    static RunBuilder from(Run run) {
        return new RunBuilder(run);
    }

    RunBuilder status(RunStatus status) {
        this.status = status;
        return this;
    }

    RunBuilder startedAt(Instant at) {
        this.startedAt = at;
        return this;
    }

    RunBuilder cancelledAt(Instant at) {
        this.cancelledAt = at;
        return this;
    }

    RunBuilder failedAt(Instant at) {
        this.failedAt = at;
        return this;
    }

    RunBuilder completedAt(Instant at) {
        this.completedAt = at;
        return this;
    }

    RunBuilder requiredAction(RequiredAction action) {
        this.requiredAction = action;
        return this;
    }

    RunBuilder lastError(RunError error) {
        this.lastError = error;
        return this;
    }

    RunBuilder usage(Usage usage) {
        this.usage = usage;
        return this;
    }

    RunBuilder metadata(Map<String, String> metadata) {
        this.metadata = metadata;
        return this;
    }

    Run build() {
        return new Run(id, threadId, assistantId, status, model, instructions, tools, createdAt, startedAt,
                expiresAt, cancelledAt, failedAt, completedAt, requiredAction, lastError, incompleteDetails, usage,
                metadata, settings);
    }
}
