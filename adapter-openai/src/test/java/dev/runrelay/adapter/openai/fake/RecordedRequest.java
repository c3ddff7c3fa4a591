package dev.runrelay.adapter.openai.fake;

import java.util.List;
import java.util.Map;

/** One request the fake received. Header names are lower case. */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
