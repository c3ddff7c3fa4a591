package dev.runrelay.adapter.redis;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of stored records: Jackson 3, tolerant of fields a newer instance added. */
final class RedisJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RedisJson() {}

    static JsonMapper mapper() {
        return MAPPER;
    }
}
