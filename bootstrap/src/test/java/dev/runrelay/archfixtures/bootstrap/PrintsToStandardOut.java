package dev.runrelay.archfixtures.bootstrap;

/** Breaks NO_STANDARD_STREAMS. */
public class PrintsToStandardOut {

    public void report(String line) {
        System.out.println(line);
    }
}
