package dev.runrelay.domain.step;

import static dev.runrelay.domain.fixtures.DomainAssertions.assertInvalidRequest;
import static dev.runrelay.domain.fixtures.TestIds.RUN_ID;
import static dev.runrelay.domain.fixtures.TestIds.STEP_ID;
import static dev.runrelay.domain.fixtures.TestIds.THREAD_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The step commands beyond their ids (see {@code IdValidationTest}). */
class StepCommandsTest {

    @Test
    void listSteps_defaults_firstPageWithoutIncludes() {
        var command = new ListRunStepsCommand(THREAD_ID, RUN_ID, null, null);

        assertThat(command.page()).isEqualTo(PageRequest.firstPage());
        assertThat(command.include()).isEmpty();
    }

    @Test
    void listSteps_keepsPageAndIncludes() {
        var page = new PageRequest(3, SortOrder.ASC, null, "step_z");
        var command = new ListRunStepsCommand(THREAD_ID, RUN_ID, page, Set.of(StepInclude.FILE_SEARCH_RESULT_CONTENT));

        assertThat(command.page()).isEqualTo(page);
        assertThat(command.include()).containsExactly(StepInclude.FILE_SEARCH_RESULT_CONTENT);
    }

    @Test
    void retrieveStep_defaults_noIncludes() {
        assertThat(new RetrieveRunStepCommand(THREAD_ID, RUN_ID, STEP_ID, null).include()).isEmpty();
    }

    @Test
    void listSteps_nullInclude_isRejectedNamingTheField() {
        var include = new HashSet<StepInclude>();
        include.add(null);

        assertInvalidRequest(() -> new ListRunStepsCommand(THREAD_ID, RUN_ID, null, include), "include");
    }

    @Test
    void retrieveStep_nullInclude_isRejectedNamingTheField() {
        var include = new HashSet<StepInclude>();
        include.add(null);

        assertInvalidRequest(() -> new RetrieveRunStepCommand(THREAD_ID, RUN_ID, STEP_ID, include), "include");
    }

    @Test
    void include_hasTheApisWireValue() {
        assertThat(StepInclude.FILE_SEARCH_RESULT_CONTENT.wireValue())
                .isEqualTo("step_details.tool_calls[*].file_search.results[*].content");
    }
}
