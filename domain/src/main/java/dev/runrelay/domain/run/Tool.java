package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

/** A tool a run may use. Function parameters stay a JSON Schema string: the domain parses no JSON. */
public sealed interface Tool {

    ToolType type();

    record CodeInterpreter() implements Tool {
        @Override
        public ToolType type() {
            return ToolType.CODE_INTERPRETER;
        }
    }

    /** @param maxNumResults 1..50, or null for the provider's default */
    record FileSearch(Integer maxNumResults) implements Tool {
        public FileSearch {
            Check.range("tools.file_search.maxNumResults", maxNumResults, 1, 50);
        }

        @Override
        public ToolType type() {
            return ToolType.FILE_SEARCH;
        }
    }

    /**
     * @param parametersJson the JSON Schema of the arguments, or null for none
     * @param strict whether the provider must follow the schema exactly, or null for its default
     */
    record Function(String name, String description, String parametersJson, Boolean strict) implements Tool {
        public Function {
            FunctionNames.check("tools.function.name", name);
        }

        @Override
        public ToolType type() {
            return ToolType.FUNCTION;
        }
    }
}
