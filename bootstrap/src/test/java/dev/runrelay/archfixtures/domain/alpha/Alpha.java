package dev.runrelay.archfixtures.domain.alpha;

import dev.runrelay.archfixtures.domain.beta.Beta;

/** Breaks NO_CYCLES_INSIDE_THE_DOMAIN together with {@link Beta}. */
public class Alpha {

    public Beta next() {
        return new Beta();
    }
}
