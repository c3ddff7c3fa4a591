package dev.runrelay.adapter.openai;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.errors.OpenAIInvalidDataException;
import java.io.IOException;

/**
 * The mapper of the adapter's own records of provider JSON (ADR 0031: {@code ResponseView}, {@code ResponseEvent},
 * {@code RunJson}): plain Jackson, records, no Kotlin module, no union types; unknown members are ignored and
 * nothing is coerced that the JSON does not say.
 */
public final class PlainJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PlainJson() {}

    /**
     * openai-java's model (of a non-stream call) as one of the adapter's records: its JSON, which openai-java
     * writes as it read it, bound by {@code reader}, so one mapping reads what both paths return.
     */
    public static <T> T fromSdkModel(Object model, ObjectReader reader) {
        try {
            return reader.readValue(ObjectMappers.jsonMapper().<JsonNode>valueToTree(model));
        } catch (IOException | IllegalArgumentException e) {
            throw new OpenAIInvalidDataException("Error reading response", e);
        }
    }
}
