package dev.runrelay.domain.shared;

import java.util.List;

/** One page of a list, with the cursors to ask for the next one. */
public record Page<T>(List<T> data, String firstId, String lastId, boolean hasMore) {

    public Page {
        data = List.copyOf(data);
    }
}
