package dev.runrelay.domain.step;

import java.util.List;

/**
 * One file a file-search call found. {@code content} is empty unless the caller asked for it
 * ({@link StepInclude#FILE_SEARCH_RESULT_CONTENT}).
 */
public record FileSearchResult(String fileId, String fileName, double score, List<String> content) {

    public FileSearchResult {
        content = content == null ? List.of() : List.copyOf(content);
    }
}
