package dev.runrelay.domain.step;

import dev.runrelay.domain.error.InvalidRequestException;
import java.util.Set;

/** The step commands' {@code include}: null means none; a null element is refused, not an NPE. */
final class StepIncludes {

    private StepIncludes() {}

    static Set<StepInclude> copyOf(Set<StepInclude> include) {
        if (include == null) {
            return Set.of();
        }
        for (StepInclude value : include) {
            if (value == null) {
                throw new InvalidRequestException("include", "must not contain null");
            }
        }
        return Set.copyOf(include);
    }
}
