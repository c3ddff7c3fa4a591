package dev.runrelay.archfixtures.adapter.sandbox;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/** Breaks ASPECTS_ONLY_IN_BOOTSTRAP: an AOP interceptor outside bootstrap. */
public class SandboxInterceptor implements MethodInterceptor {

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return invocation.proceed();
    }
}
