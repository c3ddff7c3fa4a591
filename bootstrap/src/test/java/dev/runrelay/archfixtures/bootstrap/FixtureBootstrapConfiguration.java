package dev.runrelay.archfixtures.bootstrap;

import org.springframework.context.annotation.Configuration;

/** Legal: configuration belongs in bootstrap. */
@Configuration(proxyBeanMethods = false)
public class FixtureBootstrapConfiguration {}
