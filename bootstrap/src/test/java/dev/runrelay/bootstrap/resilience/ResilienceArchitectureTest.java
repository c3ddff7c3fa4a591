package dev.runrelay.bootstrap.resilience;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.aopalliance.intercept.MethodInterceptor;

/**
 * Error handling stays in one place: the aspect in this package. Adapters and use cases let
 * failures propagate and carry no retry, breaker or time-limit policy of their own.
 */
@AnalyzeClasses(packages = "dev.runrelay", importOptions = ImportOption.DoNotIncludeTests.class)
class ResilienceArchitectureTest {

    private static final String ASPECT = "dev.runrelay.bootstrap.resilience..";
    private static final String FAIR_USE = "dev.runrelay.bootstrap.access..";

    @ArchTest
    static final ArchRule ONLY_THE_ASPECT_USES_RESILIENCE4J = noClasses()
            .that().resideOutsideOfPackage(ASPECT)
            // Fair use per principal (docs/adr/0018) refuses at once and never retries: its rate limiter only.
            .and().resideOutsideOfPackage(FAIR_USE)
            .should().dependOnClassesThat().resideInAPackage("io.github.resilience4j..")
            .because("retries, circuit breaking and bulkheads are applied once, by the aspect around the"
                    + " provider's ports (docs/adr/0003); a second layer would multiply the attempts");

    @ArchTest
    static final ArchRule FAIR_USE_USES_ONLY_THE_RATE_LIMITER = noClasses()
            .that().resideInAPackage(FAIR_USE)
            .should().dependOnClassesThat().resideInAnyPackage("io.github.resilience4j.retry..",
                    "io.github.resilience4j.circuitbreaker..", "io.github.resilience4j.bulkhead..",
                    "io.github.resilience4j.timelimiter..", "io.github.resilience4j.reactor..")
            .because("fair use answers rate_limited at once; retries and breakers stay the aspect's (docs/adr/0003)");

    @ArchTest
    static final ArchRule ONLY_THE_ASPECT_INTERCEPTS = noClasses()
            .that().resideOutsideOfPackage(ASPECT)
            .should().implement(MethodInterceptor.class)
            .orShould().beAnnotatedWith("org.aspectj.lang.annotation.Aspect")
            .because("PortGuard is the one aspect: every port call is guarded by it and by nothing else");

    @ArchTest
    static final ArchRule NO_REACTOR_RETRY_OUTSIDE_THE_ASPECT = noClasses()
            .that().resideOutsideOfPackage(ASPECT)
            .should().callMethodWhere(JavaCall.Predicates.target(
                    DescribedPredicate.describe(
                            "Reactor's retry operators",
                            target -> target.getOwner().getPackageName().equals("reactor.core.publisher")
                                    && target.getName().startsWith("retry"))))
            .because("a retry on a stream replays it from the start; only the aspect knows when that is safe");
}
