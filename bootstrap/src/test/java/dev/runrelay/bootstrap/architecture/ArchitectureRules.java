package dev.runrelay.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.regex.Pattern;

/**
 * The architecture of RunRelay as executable rules (docs/architecture.md, docs/adr/0001).
 *
 * <p>Each rule is a named constant over the production root {@value #ROOT}, built by a factory that
 * takes the root as a parameter, so {@link ArchitectureRulesSelfTest} checks the very same rule text
 * against deliberately violating classes under {@code dev.runrelay.archfixtures}. ArchUnit's
 * fail-on-empty stays on: every rule's input is broad enough to be non-empty today, and the adapter
 * layers that are still empty are declared optional in {@link #ONION}.
 */
public final class ArchitectureRules {

    public static final String ROOT = "dev.runrelay";

    @ArchTest
    public static final ArchRule ONION = onion(ROOT);

    @ArchTest
    public static final ArchRule NOTHING_DEPENDS_ON_BOOTSTRAP = nothingDependsOnBootstrap(ROOT);

    @ArchTest
    public static final ArchRule EVERY_CLASS_BELONGS_TO_A_LAYER = everyClassBelongsToALayer(ROOT);

    @ArchTest
    public static final ArchRule DOMAIN_DEPENDS_ON_JDK_ONLY = domainDependsOnJdkOnly(ROOT);

    @ArchTest
    public static final ArchRule APPLICATION_DEPENDS_ON_DOMAIN_ONLY = applicationDependsOnDomainOnly(ROOT);

    @ArchTest
    public static final ArchRule ONLY_THE_OPENAI_ADAPTER_USES_THE_OPENAI_SDK = onlyTheOpenAiAdapterUsesTheOpenAiSdk(ROOT);

    @ArchTest
    public static final ArchRule ONLY_THE_WEBSOCKET_ADAPTER_AND_BOOTSTRAP_USE_WEBFLUX =
            onlyTheWebSocketAdapterAndBootstrapUseWebFlux(ROOT);

    @ArchTest
    public static final ArchRule ONLY_THE_WEBSOCKET_ADAPTER_AND_BOOTSTRAP_USE_SPRING_SECURITY =
            onlyTheWebSocketAdapterAndBootstrapUseSpringSecurity(ROOT);

    @ArchTest
    public static final ArchRule PORTS_ARE_INTERFACES_IN_DOMAIN_PORT = portsAreInterfacesInDomainPort(ROOT);

    @ArchTest
    public static final ArchRule USE_CASES_ARE_INTERFACES_IN_APPLICATION_USECASE =
            useCasesAreInterfacesInApplicationUseCase(ROOT);

    @ArchTest
    public static final ArchRule ADAPTERS_CALL_USE_CASES_NOT_SERVICES = adaptersCallUseCasesNotServices(ROOT);

    @ArchTest
    public static final ArchRule CONFIGURATION_ONLY_IN_BOOTSTRAP_AND_ADAPTERS =
            configurationOnlyInBootstrapAndAdapters(ROOT);

    @ArchTest
    public static final ArchRule ASPECTS_ONLY_IN_BOOTSTRAP = aspectsOnlyInBootstrap(ROOT);

    @ArchTest
    public static final ArchRule NO_CYCLES_BETWEEN_MODULES = noCyclesBetweenModules(ROOT);

    @ArchTest
    public static final ArchRule NO_CYCLES_INSIDE_THE_DOMAIN = noCyclesInsideTheDomain(ROOT);

    @ArchTest
    public static final ArchRule NO_FIELD_INJECTION = noFieldInjection(ROOT);

    @ArchTest
    public static final ArchRule NO_STANDARD_STREAMS = noStandardStreams(ROOT);

    @ArchTest
    public static final ArchRule NO_GENERIC_EXCEPTIONS = noGenericExceptions(ROOT);

    @ArchTest
    public static final ArchRule NO_JAVA_UTIL_LOGGING = noJavaUtilLogging(ROOT);

    private static final String DOMAIN = "Domain";
    private static final String APPLICATION = "Application";
    private static final String OPENAI_ADAPTER = "OpenAI adapter";
    private static final String WEBSOCKET_ADAPTER = "WebSocket adapter";
    private static final String SANDBOX_ADAPTER = "Sandbox adapter";
    private static final String MEMORY_ADAPTER = "Memory store adapter";
    private static final String REDIS_ADAPTER = "Redis store adapter";
    private static final String BOOTSTRAP = "Bootstrap";
    private static final String BRIDGE = "Flux/Flow bridge";

    private static final String ASPECT_ANNOTATION = "org.aspectj.lang.annotation.Aspect";
    private static final String CONFIGURATION_ANNOTATION = "org.springframework.context.annotation.Configuration";

    private ArchitectureRules() {}

    // ---- The onion ---------------------------------------------------------------------------

    public static ArchRule onion(String root) {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer(DOMAIN).definedBy(domain(root))
                .layer(APPLICATION).definedBy(application(root))
                // Optional: each adapter module may be empty while it is being written; its rules
                // below still bite as soon as it has a class.
                .optionalLayer(OPENAI_ADAPTER).definedBy(root + ".adapter.openai..")
                .optionalLayer(WEBSOCKET_ADAPTER).definedBy(root + ".adapter.websocket..")
                .optionalLayer(SANDBOX_ADAPTER).definedBy(root + ".adapter.sandbox..")
                .optionalLayer(MEMORY_ADAPTER).definedBy(root + ".adapter.memory..")
                .optionalLayer(REDIS_ADAPTER).definedBy(root + ".adapter.redis..")
                .layer(BOOTSTRAP).definedBy(bootstrap(root))
                // The one Flux <-> Flow.Publisher crossing (docs/adr/0010): Reactor only, used by the
                // outer ring around the ports; it knows no other layer.
                .optionalLayer(BRIDGE).definedBy(root + ".bridge..")
                .whereLayer(DOMAIN).mayNotAccessAnyLayer()
                .whereLayer(APPLICATION).mayOnlyAccessLayers(DOMAIN, BRIDGE)
                .whereLayer(OPENAI_ADAPTER).mayOnlyAccessLayers(DOMAIN, APPLICATION, BRIDGE)
                .whereLayer(WEBSOCKET_ADAPTER).mayOnlyAccessLayers(DOMAIN, APPLICATION, BRIDGE)
                .whereLayer(SANDBOX_ADAPTER).mayOnlyAccessLayers(DOMAIN, APPLICATION, BRIDGE)
                .whereLayer(MEMORY_ADAPTER).mayOnlyAccessLayers(DOMAIN, APPLICATION, BRIDGE)
                .whereLayer(REDIS_ADAPTER).mayOnlyAccessLayers(DOMAIN, APPLICATION, BRIDGE)
                .whereLayer(BRIDGE).mayNotAccessAnyLayer()
                .whereLayer(BOOTSTRAP).mayNotBeAccessedByAnyLayer()
                .because("dependencies point inwards (adapters -> application -> domain), so a provider or a "
                        + "transport can be swapped without touching the core; adapters never know each other, "
                        + "only bootstrap, the composition root, sees them all (docs/adr/0001)");
    }

    public static ArchRule nothingDependsOnBootstrap(String root) {
        return noClasses().that().resideOutsideOfPackage(bootstrap(root))
                .should().dependOnClassesThat().resideInAPackage(bootstrap(root))
                .because("bootstrap is the composition root: it wires everything, so anything that depended on "
                        + "it would depend on every module at once and could not be tested alone");
    }

    public static ArchRule everyClassBelongsToALayer(String root) {
        return classes().that().resideInAPackage(root + "..")
                .should().resideInAnyPackage(
                        domain(root), application(root), adapter(root) + "openai..", adapter(root) + "websocket..",
                        adapter(root) + "sandbox..", adapter(root) + "memory..", adapter(root) + "redis..",
                        bootstrap(root), root + ".bridge..")
                .because("a class outside every layer is outside every layer rule: put it in domain, application, "
                        + "one adapter, the Flux/Flow bridge or bootstrap, so the rules above see it");
    }

    // ---- What each layer may use -------------------------------------------------------------

    public static ArchRule domainDependsOnJdkOnly(String root) {
        return classes().that().resideInAPackage(domain(root))
                .should().onlyDependOnClassesThat().resideInAnyPackage(domain(root), "java..")
                .because("the domain is the contract every provider and transport implements: with the JDK "
                        + "alone it compiles, tests and reads without any framework (docs/adr/0001, 0002)");
    }

    public static ArchRule applicationDependsOnDomainOnly(String root) {
        return classes().that().resideInAPackage(application(root))
                .should().onlyDependOnClassesThat().resideInAnyPackage(application(root), domain(root), "java..",
                        root + ".bridge..", "reactor.core..", "reactor.util..", "reactor.adapter..", "org.reactivestreams..")
                .because("use cases are plain Java that bootstrap builds with `new` (docs/adr/0004): no Spring, "
                        + "Netty (nor Reactor Netty), openai-java, Jakarta, AspectJ or resilience4j, so the "
                        + "orchestration is tested with in-memory fakes and outlives any framework; reactor-core "
                        + "alone is allowed, to compose a run's recovery (docs/adr/0006), with the Flux/Flow bridge (docs/adr/0010)");
    }

    public static ArchRule onlyTheOpenAiAdapterUsesTheOpenAiSdk(String root) {
        return noClasses().that().resideOutsideOfPackage(adapter(root) + "openai..")
                .should().dependOnClassesThat().resideInAPackage("com.openai..")
                .because("openai-java is one provider's SDK: its types stay behind the ports in adapter-openai, so "
                        + "the sandbox and any future provider implement the same domain contract");
    }

    public static ArchRule onlyTheWebSocketAdapterAndBootstrapUseWebFlux(String root) {
        return noClasses().that().resideOutsideOfPackages(adapter(root) + "websocket..", bootstrap(root))
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.web.reactive..", "reactor.netty.http.server..")
                .because("the browser-facing transport lives in adapter-websocket (bootstrap only wires it): "
                        + "providers and use cases must not know how their events reach a client");
    }

    public static ArchRule onlyTheWebSocketAdapterAndBootstrapUseSpringSecurity(String root) {
        return noClasses().that().resideOutsideOfPackages(adapter(root) + "websocket..", bootstrap(root))
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.security..")
                .because("authentication happens once, at the socket's handshake (docs/adr/0017); the core sees "
                        + "only the resulting Owner, so the ownership rule holds whatever authenticated the caller");
    }

    // ---- Roles and names -----------------------------------------------------------------------

    public static ArchRule portsAreInterfacesInDomainPort(String root) {
        return classes().that().resideInAPackage(root + "..").and().haveSimpleNameEndingWith("Port")
                .should().beInterfaces()
                .andShould().resideInAPackage(domain(root).replace("..", ".port"))
                .because("a ...Port is a driven port: a provider-neutral interface the domain owns in domain.port; "
                        + "its implementations are ...Adapter classes in an adapter (docs/adr/0001)");
    }

    public static ArchRule useCasesAreInterfacesInApplicationUseCase(String root) {
        return classes().that().resideInAPackage(root + "..").and().haveSimpleNameEndingWith("UseCase")
                .should().beInterfaces()
                .andShould().resideInAPackage(application(root).replace("..", ".usecase"))
                .because("a ...UseCase is a driving port: one interface per operation in application.usecase, "
                        + "implemented by a ...Service (docs/adr/0001)");
    }

    public static ArchRule adaptersCallUseCasesNotServices(String root) {
        return noClasses().that().resideOutsideOfPackages(application(root), bootstrap(root))
                .should().dependOnClassesThat().resideInAPackage(application(root).replace("..", ".service.."))
                .because("driving adapters call use-case interfaces; which service implements them is bootstrap's "
                        + "wiring decision, so a service can be split or replaced without touching an adapter");
    }

    public static ArchRule configurationOnlyInBootstrapAndAdapters(String root) {
        return noClasses().that().resideInAnyPackage(domain(root), application(root))
                .should().beMetaAnnotatedWith(CONFIGURATION_ANNOTATION)
                .because("Spring configuration is wiring, and wiring belongs to the outer ring: the core has no "
                        + "Spring at all (docs/adr/0004)");
    }

    public static ArchRule aspectsOnlyInBootstrap(String root) {
        return noClasses().that().resideOutsideOfPackage(bootstrap(root))
                .should().beMetaAnnotatedWith(ASPECT_ANNOTATION)
                .orShould().dependOnClassesThat().resideInAnyPackage(
                        "org.aspectj..", "org.aopalliance..", "org.springframework.aop..")
                .because("the one error-handling aspect (an @Aspect or a Spring AOP interceptor) is wired in "
                        + "bootstrap (docs/adr/0003); interception hidden in an adapter would change behaviour "
                        + "that no wiring shows");
    }

    // ---- Cycles ----------------------------------------------------------------------------------

    public static ArchRule noCyclesBetweenModules(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("modules form a directed graph, inwards; a cycle would make two modules one");
    }

    public static ArchRule noCyclesInsideTheDomain(String root) {
        return slices().matching(root + ".domain.(*)..").namingSlices("domain.$1")
                .should().beFreeOfCycles()
                .because("the domain's packages (run, step, event, error, port, ...) stay readable one at a time "
                        + "only while they depend on each other in one direction");
    }

    // ---- General coding rules -------------------------------------------------------------------

    public static ArchRule noFieldInjection(String root) {
        return noFields().that().areDeclaredInClassesThat().resideInAPackage(root + "..")
                .should(GeneralCodingRules.BE_ANNOTATED_WITH_AN_INJECTION_ANNOTATION)
                .because("dependencies arrive through constructors, so a class shows what it needs, its fields can "
                        + "be final, and a test builds it with `new` and no container");
    }

    public static ArchRule noStandardStreams(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .because("a server logs through SLF4J with levels and context; System.out/err bypasses both");
    }

    public static ArchRule noGenericExceptions(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should(GeneralCodingRules.THROW_GENERIC_EXCEPTIONS)
                .because("callers and the error aspect act on RunRelayException and its ErrorCode; a bare "
                        + "RuntimeException or Exception carries no code and ends up as 'internal'");
    }

    public static ArchRule noJavaUtilLogging(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
                .because("RunRelay logs through SLF4J; java.util.logging output would escape its configuration");
    }

    // ---- Packages --------------------------------------------------------------------------------

    private static String domain(String root) {
        return root + ".domain..";
    }

    private static String application(String root) {
        return root + ".application..";
    }

    private static String adapter(String root) {
        return root + ".adapter.";
    }

    private static String bootstrap(String root) {
        return root + ".bootstrap..";
    }

    /**
     * Test-jars (e.g. domain's shared builders) are on bootstrap's test classpath as jars, which
     * {@link ImportOption.DoNotIncludeTests} does not recognise; they are test code all the same.
     */
    public static final class DoNotIncludeTestJars implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST_JAR);
        }
    }
}
