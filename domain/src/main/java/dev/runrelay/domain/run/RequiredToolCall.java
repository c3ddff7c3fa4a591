package dev.runrelay.domain.run;

/** A function call the client must answer before the run goes on; {@code arguments} is complete JSON. */
public record RequiredToolCall(String id, String functionName, String arguments) {}
