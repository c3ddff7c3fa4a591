package dev.runrelay.archfixtures.application;

import org.springframework.context.ApplicationContext;

/** Breaks APPLICATION_DEPENDS_ON_DOMAIN_ONLY: Spring in a use case. */
public class ApplicationUsingSpring {

    public Object lookUp(ApplicationContext context) {
        return context.getBean("runs");
    }
}
