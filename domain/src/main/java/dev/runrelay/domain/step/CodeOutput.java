package dev.runrelay.domain.step;

/** What a code-interpreter call produced: log text, or an image file. */
public sealed interface CodeOutput {

    record Logs(String text) implements CodeOutput {}

    record Image(String fileId) implements CodeOutput {}
}
