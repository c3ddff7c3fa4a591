package dev.runrelay.archfixtures.bootstrap;

import org.springframework.beans.factory.annotation.Autowired;

/** Breaks NO_FIELD_INJECTION. */
public class FieldInjected {

    @Autowired
    private Object runs;

    public Object runs() {
        return runs;
    }
}
