package dev.runrelay.domain.run;

/** Why a run ended incomplete, e.g. {@code max_completion_tokens}. */
public record IncompleteDetails(String reason) {}
