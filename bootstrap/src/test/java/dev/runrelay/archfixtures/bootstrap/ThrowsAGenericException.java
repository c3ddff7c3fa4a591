package dev.runrelay.archfixtures.bootstrap;

/** Breaks NO_GENERIC_EXCEPTIONS. */
public class ThrowsAGenericException {

    public void fail() {
        throw new RuntimeException("something went wrong");
    }
}
