package dev.runrelay.domain.shared;

import dev.runrelay.domain.error.InvalidRequestException;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor pagination as the Assistants API does it, over a list held in creation order: the one rule
 * every provider and store pages by, so a cursor that is not in the list is the same
 * {@code invalid_request} naming {@code after} or {@code before} everywhere.
 */
public final class Pages {

    private Pages() {}

    public static <T> Page<T> of(List<T> oldestFirst, Function<T, String> idOf, PageRequest request) {
        List<T> ordered = request.order() == SortOrder.ASC ? oldestFirst : oldestFirst.reversed();
        int from = 0;
        int to = ordered.size();
        if (request.after() != null) {
            from = indexOf(ordered, idOf, request.after(), "after") + 1;
        }
        if (request.before() != null) {
            to = indexOf(ordered, idOf, request.before(), "before");
        }
        if (from >= to) {
            return new Page<>(List.of(), null, null, false);
        }
        List<T> window = ordered.subList(from, to);
        List<T> data;
        boolean hasMore;
        if (request.before() != null && request.after() == null) {
            // Paging backwards: the items right before the cursor.
            int start = Math.max(0, window.size() - request.limit());
            data = window.subList(start, window.size());
            hasMore = start > 0;
        } else {
            data = window.subList(0, Math.min(request.limit(), window.size()));
            hasMore = window.size() > request.limit();
        }
        return new Page<>(data, idOf.apply(data.getFirst()), idOf.apply(data.getLast()), hasMore);
    }

    private static <T> int indexOf(List<T> items, Function<T, String> idOf, String id, String field) {
        for (int i = 0; i < items.size(); i++) {
            if (idOf.apply(items.get(i)).equals(id)) {
                return i;
            }
        }
        throw new InvalidRequestException(field, "is not an id in this list: " + id);
    }
}
