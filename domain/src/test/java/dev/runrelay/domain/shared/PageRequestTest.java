package dev.runrelay.domain.shared;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 101, Integer.MAX_VALUE})
    void limitOutside1To100_isRejected(int limit) {
        assertInvalidRequest(() -> new PageRequest(limit, SortOrder.ASC, null, null), "limit");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20, 100})
    void limitWithin1To100_isAccepted(int limit) {
        assertThat(new PageRequest(limit, SortOrder.ASC, null, null).limit()).isEqualTo(limit);
    }

    @Test
    void of_withoutArguments_appliesTheApiDefaults() {
        var page = PageRequest.of(null, null, null, null);

        assertThat(page).isEqualTo(new PageRequest(20, SortOrder.DESC, null, null));
        assertThat(PageRequest.firstPage()).isEqualTo(page);
    }

    @Test
    void of_keepsGivenCursorsAndOrder() {
        var page = PageRequest.of(5, SortOrder.ASC, "run_a", "run_b");

        assertThat(page).isEqualTo(new PageRequest(5, SortOrder.ASC, "run_a", "run_b"));
    }

    @Test
    void of_outOfRangeLimit_isRejected() {
        assertInvalidRequest(() -> PageRequest.of(0, null, null, null), "limit");
    }

    @Test
    void sortOrder_fromWire_readsAscAndDesc() {
        assertThat(SortOrder.fromWire("order", "asc")).isEqualTo(SortOrder.ASC);
        assertThat(SortOrder.fromWire("order", "desc")).isEqualTo(SortOrder.DESC);
        assertThat(SortOrder.ASC.wireValue()).isEqualTo("asc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ASC", "ascending", "random"})
    void sortOrder_fromWire_unknownValue_isRejectedNamingTheField(String value) {
        assertInvalidRequest(() -> SortOrder.fromWire("order", value), "order");
    }

    @Test
    void sortOrder_fromWire_null_isRejectedNamingTheField() {
        assertInvalidRequest(() -> SortOrder.fromWire("order", null), "order");
    }
}
