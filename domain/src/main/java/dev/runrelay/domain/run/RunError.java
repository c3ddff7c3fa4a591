package dev.runrelay.domain.run;

/** The provider's reason a run or step failed, e.g. {@code server_error} or {@code rate_limit_exceeded}. */
public record RunError(String code, String message) {}
