package dev.runrelay.archfixtures.bridge;

import dev.runrelay.archfixtures.domain.DomainCallingTheApplication;

/** Breaks ONION: the Flux/Flow bridge knows no layer, not even the domain. */
public class BridgeCallingTheDomain {

    public Object domain(DomainCallingTheApplication domain) {
        return domain;
    }
}
