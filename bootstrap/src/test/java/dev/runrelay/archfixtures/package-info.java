/**
 * Deliberately bad classes for {@code ArchitectureRulesSelfTest}: each one breaks exactly the rule its
 * name says, in packages that mimic RunRelay's layers under the root {@code dev.runrelay.archfixtures}.
 * Never imported by the production architecture test (they are test classes).
 */
package dev.runrelay.archfixtures;
