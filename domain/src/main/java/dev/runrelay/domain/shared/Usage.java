package dev.runrelay.domain.shared;

/** Tokens a run or step consumed. */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {}
