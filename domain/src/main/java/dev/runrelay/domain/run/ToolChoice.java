package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

/** Which tool the model must use: a mode, or one named function ({@link Mode#FUNCTION}). */
public record ToolChoice(Mode mode, String functionName) {

    public enum Mode {
        AUTO, NONE, REQUIRED, FUNCTION
    }

    public ToolChoice {
        Check.present("toolChoice", mode);
        if (mode == Mode.FUNCTION) {
            FunctionNames.check("toolChoice.functionName", functionName);
        }
    }

    public static ToolChoice of(Mode mode) {
        return new ToolChoice(mode, null);
    }

    public static ToolChoice function(String name) {
        return new ToolChoice(Mode.FUNCTION, name);
    }
}
