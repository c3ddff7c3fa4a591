package dev.runrelay.domain.run;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static dev.runrelay.domain.fixtures.TestIds.ASSISTANT_ID;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The API's metadata bounds (16 pairs, keys up to 64 characters, values up to 512), wherever metadata is taken. */
class MetadataValidationTest {

    record Holder(String field, Function<Map<String, String>, Object> build) {
        @Override
        public String toString() {
            return field;
        }
    }

    static Stream<Holder> holders() {
        return Stream.of(
                new Holder("metadata", metadata -> new UpdateRunCommand(THREAD_ID, RUN_ID, metadata)),
                new Holder("metadata", metadata -> new RunOptions(null, null, null, null, metadata, null)),
                new Holder("threadMetadata", metadata -> new CreateThreadAndRunCommand(ASSISTANT_ID, null, metadata, null)));
    }

    static Map<String, String> pairs(int count) {
        var metadata = new HashMap<String, String>();
        IntStream.range(0, count).forEach(i -> metadata.put("key" + i, "value" + i));
        return metadata;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void sixteenPairs_areAccepted_seventeenAreRejected(Holder holder) {
        assertThatCode(() -> holder.build().apply(pairs(16))).doesNotThrowAnyException();
        assertInvalidRequest(() -> holder.build().apply(pairs(17)), holder.field());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void keyOf64Characters_isAccepted_65AreRejected(Holder holder) {
        assertThatCode(() -> holder.build().apply(Map.of("k".repeat(64), "v"))).doesNotThrowAnyException();
        assertInvalidRequest(() -> holder.build().apply(Map.of("k".repeat(65), "v")), holder.field());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void emptyOrNullKey_isRejected(Holder holder) {
        assertInvalidRequest(() -> holder.build().apply(Map.of("", "v")), holder.field());
        var nullKey = new HashMap<String, String>();
        nullKey.put(null, "v");
        assertInvalidRequest(() -> holder.build().apply(nullKey), holder.field());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void valueOf512Characters_isAccepted_513AreRejectedNamingTheKey(Holder holder) {
        assertThatCode(() -> holder.build().apply(Map.of("note", "v".repeat(512)))).doesNotThrowAnyException();
        assertInvalidRequest(() -> holder.build().apply(Map.of("note", "v".repeat(513))), holder.field() + ".note");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void nullValue_isRejectedNamingTheKey(Holder holder) {
        var nullValue = new HashMap<String, String>();
        nullValue.put("note", null);
        assertInvalidRequest(() -> holder.build().apply(nullValue), holder.field() + ".note");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void emptyValue_isAccepted(Holder holder) {
        assertThatCode(() -> holder.build().apply(Map.of("note", ""))).doesNotThrowAnyException();
    }

    @org.junit.jupiter.api.Test
    void acceptedMetadata_isCopied_soTheCallerCannotChangeItLater() {
        var metadata = new HashMap<>(Map.of("a", "1"));
        var command = new UpdateRunCommand(THREAD_ID, RUN_ID, metadata);

        metadata.put("b", "2");

        assertThat(command.metadata()).containsExactly(Map.entry("a", "1"));
    }
}
