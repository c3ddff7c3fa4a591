package dev.runrelay.archfixtures.domain.beta;

import dev.runrelay.archfixtures.domain.alpha.Alpha;

/** Breaks NO_CYCLES_INSIDE_THE_DOMAIN together with {@link Alpha}. */
public class Beta {

    public Alpha previous() {
        return new Alpha();
    }
}
