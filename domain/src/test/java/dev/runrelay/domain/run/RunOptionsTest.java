package dev.runrelay.domain.run;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RunOptions, RunSettings, Tool, ToolChoice, TruncationStrategy and MessageInput. */
class RunOptionsTest {

    @Nested
    class Options {

        @Test
        void defaults_leaveEverythingToTheAssistant() {
            var options = RunOptions.defaults();

            assertThat(options.tools()).as("null tools means the assistant's tools").isNull();
            assertThat(options.metadata()).isEmpty();
            assertThat(options.settings()).isEqualTo(RunSettings.defaults());
        }

        @Test
        void emptyTools_meanNoTools_notTheAssistants() {
            assertThat(new RunOptions(null, null, null, List.of(), null, null).tools()).isEmpty();
        }

        @Test
        void nullTool_isRejectedNamingItsIndex() {
            List<Tool> tools = Arrays.asList(new Tool.CodeInterpreter(), null);

            assertInvalidRequest(() -> new RunOptions(null, null, null, tools, null, null), "tools[1]");
        }
    }

    @Nested
    class Settings {

        static RunSettings temperature(Double value) {
            return new RunSettings(value, null, null, null, null, null, null, null);
        }

        static RunSettings topP(Double value) {
            return new RunSettings(null, value, null, null, null, null, null, null);
        }

        static RunSettings maxPromptTokens(Integer value) {
            return new RunSettings(null, null, value, null, null, null, null, null);
        }

        static RunSettings maxCompletionTokens(Integer value) {
            return new RunSettings(null, null, null, value, null, null, null, null);
        }

        static RunSettings responseFormat(String value) {
            return new RunSettings(null, null, null, null, null, null, null, value);
        }

        static Stream<Arguments> outOfBounds() {
            return Stream.of(
                    Arguments.of("temperature", (Runnable) () -> temperature(-0.01)),
                    Arguments.of("temperature", (Runnable) () -> temperature(2.01)),
                    Arguments.of("temperature", (Runnable) () -> temperature(Double.NaN)),
                    Arguments.of("temperature", (Runnable) () -> temperature(Double.POSITIVE_INFINITY)),
                    Arguments.of("topP", (Runnable) () -> topP(-0.01)),
                    Arguments.of("topP", (Runnable) () -> topP(1.01)),
                    Arguments.of("topP", (Runnable) () -> topP(Double.NaN)),
                    Arguments.of("maxPromptTokens", (Runnable) () -> maxPromptTokens(255)),
                    Arguments.of("maxPromptTokens", (Runnable) () -> maxPromptTokens(0)),
                    Arguments.of("maxCompletionTokens", (Runnable) () -> maxCompletionTokens(255)),
                    Arguments.of("maxCompletionTokens", (Runnable) () -> maxCompletionTokens(-1)),
                    Arguments.of("responseFormat", (Runnable) () -> responseFormat("json_schema")),
                    Arguments.of("responseFormat", (Runnable) () -> responseFormat("")),
                    Arguments.of("responseFormat", (Runnable) () -> responseFormat("TEXT")));
        }

        static Stream<Runnable> onTheBoundary() {
            return Stream.of(
                    () -> temperature(0.0),
                    () -> temperature(2.0),
                    () -> topP(0.0),
                    () -> topP(1.0),
                    () -> maxPromptTokens(256),
                    () -> maxCompletionTokens(256),
                    () -> maxCompletionTokens(Integer.MAX_VALUE),
                    () -> responseFormat("auto"),
                    () -> responseFormat("text"),
                    () -> responseFormat("json_object"));
        }

        @ParameterizedTest(name = "{0} #{index}")
        @MethodSource("outOfBounds")
        void outOfBounds_isRejectedNamingTheSetting(String field, Runnable build) {
            assertInvalidRequest(build::run, field);
        }

        @ParameterizedTest
        @MethodSource("onTheBoundary")
        void onTheBoundary_isAccepted(Runnable build) {
            assertThatCode(build::run).doesNotThrowAnyException();
        }

        @Test
        void allNull_isTheDefault() {
            assertThat(RunSettings.defaults().temperature()).isNull();
            assertThat(new RunOptions(null, null, null, null, null, null).settings()).isEqualTo(RunSettings.defaults());
        }
    }

    @Nested
    class Tools {

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 51})
        void fileSearch_maxNumResultsOutside1To50_isRejected(int max) {
            assertInvalidRequest(() -> new Tool.FileSearch(max), "tools.file_search.maxNumResults");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 50})
        void fileSearch_maxNumResultsOnTheBoundary_isAccepted(int max) {
            assertThat(new Tool.FileSearch(max).maxNumResults()).isEqualTo(max);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", " ", "get weather", "get.weather", "ünicode"})
        void function_missingOrMalformedName_isRejected(String name) {
            assertInvalidRequest(() -> new Tool.Function(name, null, null, null), "tools.function.name");
        }

        @Test
        void function_nameOf64Characters_isAccepted_65AreRejected() {
            assertThat(new Tool.Function("f".repeat(64), null, null, null).name()).hasSize(64);
            assertInvalidRequest(() -> new Tool.Function("f".repeat(65), null, null, null), "tools.function.name");
        }

        @Test
        void eachToolKnowsItsType() {
            assertThat(new Tool.CodeInterpreter().type()).isEqualTo(ToolType.CODE_INTERPRETER);
            assertThat(new Tool.FileSearch(null).type()).isEqualTo(ToolType.FILE_SEARCH);
            assertThat(new Tool.Function("f", null, "{}", true).type()).isEqualTo(ToolType.FUNCTION);
            assertThat(ToolType.CODE_INTERPRETER.wireValue()).isEqualTo("code_interpreter");
        }
    }

    @Nested
    class Choice {

        @Test
        void missingMode_isRejected() {
            assertInvalidRequest(() -> new ToolChoice(null, null), "toolChoice");
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  "})
        void functionMode_withoutFunctionName_isRejected(String name) {
            assertInvalidRequest(() -> ToolChoice.function(name), "toolChoice.functionName");
        }

        @ParameterizedTest
        @ValueSource(strings = {"get weather", "get.weather", "../x"})
        void functionMode_withMalformedFunctionName_isRejected(String name) {
            assertInvalidRequest(() -> ToolChoice.function(name), "toolChoice.functionName");
        }

        @Test
        void functionMode_nameOf64Characters_isAccepted_65AreRejected() {
            assertThat(ToolChoice.function("f".repeat(64)).functionName()).hasSize(64);
            assertInvalidRequest(() -> ToolChoice.function("f".repeat(65)), "toolChoice.functionName");
        }

        @Test
        void modesOtherThanFunction_needNoName() {
            assertThat(ToolChoice.of(ToolChoice.Mode.REQUIRED).functionName()).isNull();
            assertThat(ToolChoice.function("get_weather").mode()).isEqualTo(ToolChoice.Mode.FUNCTION);
        }
    }

    @Nested
    class Truncation {

        @Test
        void missingType_isRejected() {
            assertInvalidRequest(() -> new TruncationStrategy(null, 5), "truncationStrategy.type");
        }

        @Test
        void lastMessages_withoutCount_isRejected() {
            assertInvalidRequest(
                    () -> new TruncationStrategy(TruncationStrategy.Type.LAST_MESSAGES, null),
                    "truncationStrategy.lastMessages");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -3})
        void lastMessages_belowOne_isRejected(int count) {
            assertInvalidRequest(
                    () -> new TruncationStrategy(TruncationStrategy.Type.LAST_MESSAGES, count),
                    "truncationStrategy.lastMessages");
        }

        @Test
        void lastMessages_one_isAccepted_andAutoNeedsNoCount() {
            assertThat(new TruncationStrategy(TruncationStrategy.Type.LAST_MESSAGES, 1).lastMessages()).isEqualTo(1);
            assertThat(new TruncationStrategy(TruncationStrategy.Type.AUTO, null).type())
                    .isEqualTo(TruncationStrategy.Type.AUTO);
        }
    }

    @Nested
    class Messages {

        @Test
        void missingRole_isRejected() {
            assertInvalidRequest(() -> new MessageInput(null, "hi"), "role");
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", " \n\t"})
        void missingOrBlankContent_isRejected(String content) {
            assertInvalidRequest(() -> new MessageInput(MessageInput.Role.ASSISTANT, content), "content");
        }

        @Test
        void user_makesAUserMessage() {
            assertThat(MessageInput.user("hi")).isEqualTo(new MessageInput(MessageInput.Role.USER, "hi"));
        }
    }
}
