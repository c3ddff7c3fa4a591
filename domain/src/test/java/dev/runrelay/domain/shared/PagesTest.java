package dev.runrelay.domain.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.error.InvalidRequestException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PagesTest {

    private static final List<String> OLDEST_FIRST = List.of("run_1", "run_2", "run_3", "run_4", "run_5");

    private static Page<String> page(Integer limit, SortOrder order, String after, String before) {
        return Pages.of(OLDEST_FIRST, Function.identity(), PageRequest.of(limit, order, after, before));
    }

    @Test
    void newestFirstByDefault_withCursorsAndHasMore() {
        Page<String> first = page(2, null, null, null);

        assertThat(first.data()).containsExactly("run_5", "run_4");
        assertThat(first.firstId()).isEqualTo("run_5");
        assertThat(first.lastId()).isEqualTo("run_4");
        assertThat(first.hasMore()).isTrue();
        assertThat(page(2, null, first.lastId(), null).data()).containsExactly("run_3", "run_2");
        assertThat(page(2, null, "run_2", null).hasMore()).isFalse();
    }

    @Test
    void ascendingAfterAndBefore_pageTheWindowBetweenTheCursors() {
        assertThat(page(20, SortOrder.ASC, "run_1", "run_5").data()).containsExactly("run_2", "run_3", "run_4");
        // Backwards: the items right before the cursor, and whether more lie before them.
        Page<String> backwards = page(2, SortOrder.ASC, null, "run_5");
        assertThat(backwards.data()).containsExactly("run_3", "run_4");
        assertThat(backwards.hasMore()).isTrue();
    }

    @Test
    void anEmptyWindow_isAnEmptyPageWithoutCursors() {
        Page<String> empty = page(20, SortOrder.ASC, "run_5", null);

        assertThat(empty.data()).isEmpty();
        assertThat(empty.firstId()).isNull();
        assertThat(empty.hasMore()).isFalse();
    }

    @Test
    void aCursorNotInTheList_isInvalidAndNamesItsField() {
        assertThatThrownBy(() -> page(20, null, "run_9", null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("after"));
        assertThatThrownBy(() -> page(20, null, null, "run_9"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("before"));
    }
}
