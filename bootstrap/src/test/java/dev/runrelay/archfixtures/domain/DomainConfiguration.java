package dev.runrelay.archfixtures.domain;

import org.springframework.context.annotation.Configuration;

/** Breaks CONFIGURATION_ONLY_IN_BOOTSTRAP_AND_ADAPTERS: Spring wiring in the domain. */
@Configuration
public class DomainConfiguration {}
