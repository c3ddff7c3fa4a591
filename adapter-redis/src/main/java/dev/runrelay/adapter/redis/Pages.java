package dev.runrelay.adapter.redis;

import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import java.util.List;
import java.util.function.Function;

/** Cursor pagination (limit, after, before) over a list already in the requested order. */
final class Pages {

    private Pages() {}

    static <T> Page<T> page(List<T> ordered, Function<T, String> id, PageRequest request) {
        int from = 0;
        int to = ordered.size();
        if (request.after() != null) {
            from = indexOf(ordered, id, request.after()) + 1;
        }
        if (request.before() != null) {
            int before = indexOf(ordered, id, request.before());
            to = before < 0 ? to : before;
        }
        if (from > to) {
            from = to;
        }
        // Paging backwards ("before") returns the items closest to the cursor.
        boolean backwards = request.before() != null && request.after() == null;
        int start = backwards ? Math.max(from, to - request.limit()) : from;
        int end = backwards ? to : Math.min(to, from + request.limit());
        List<T> data = ordered.subList(start, end);
        boolean hasMore = backwards ? start > from : end < to;
        return new Page<>(
                data,
                data.isEmpty() ? null : id.apply(data.getFirst()),
                data.isEmpty() ? null : id.apply(data.getLast()),
                hasMore);
    }

    private static <T> int indexOf(List<T> ordered, Function<T, String> id, String wanted) {
        for (int i = 0; i < ordered.size(); i++) {
            if (id.apply(ordered.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }
}
