package dev.runrelay.domain.step;

import dev.runrelay.domain.run.ToolType;
import java.util.List;

/** One tool call inside a tool-calls step, complete as of the step's last snapshot. */
public sealed interface ToolCall {

    String id();

    ToolType type();

    record CodeInterpreter(String id, String input, List<CodeOutput> outputs) implements ToolCall {
        public CodeInterpreter {
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
        }

        @Override
        public ToolType type() {
            return ToolType.CODE_INTERPRETER;
        }
    }

    record FileSearch(String id, List<FileSearchResult> results) implements ToolCall {
        public FileSearch {
            results = results == null ? List.of() : List.copyOf(results);
        }

        @Override
        public ToolType type() {
            return ToolType.FILE_SEARCH;
        }
    }

    /** @param output the submitted tool output, null until the client answered */
    record Function(String id, String name, String arguments, String output) implements ToolCall {
        @Override
        public ToolType type() {
            return ToolType.FUNCTION;
        }
    }
}
