package dev.runrelay.domain.shared;

/**
 * Cursor pagination as the Assistants API defines it: {@code limit} 1..100 (default 20),
 * {@code order} by creation time (default newest first), and the ids to page {@code after} or {@code before}.
 */
public record PageRequest(int limit, SortOrder order, String after, String before) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public PageRequest {
        Check.range("limit", limit, 1, MAX_LIMIT);
        order = order == null ? SortOrder.DESC : order;
        Check.optionalId("after", after);
        Check.optionalId("before", before);
    }

    /** Builds a request from optional arguments, applying the defaults. */
    public static PageRequest of(Integer limit, SortOrder order, String after, String before) {
        return new PageRequest(limit == null ? DEFAULT_LIMIT : limit, order, after, before);
    }

    public static PageRequest firstPage() {
        return of(null, null, null, null);
    }
}
