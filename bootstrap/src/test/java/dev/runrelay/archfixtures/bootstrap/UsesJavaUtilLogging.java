package dev.runrelay.archfixtures.bootstrap;

import java.util.logging.Logger;

/** Breaks NO_JAVA_UTIL_LOGGING. */
public class UsesJavaUtilLogging {

    private static final Logger LOG = Logger.getLogger("runs");

    public void report(String line) {
        LOG.info(line);
    }
}
