package dev.runrelay.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that no rule of {@link ArchitectureRules} passes vacuously: each one, built with the fixture
 * root, reports the deliberately bad class made for it (dev.runrelay.archfixtures).
 */
class ArchitectureRulesSelfTest {

    private static final String FIXTURE_ROOT = "dev.runrelay.archfixtures";
    private static final String GENERATED_ASPECT = FIXTURE_ROOT + ".adapter.sandbox.SandboxAspect";

    private static JavaClasses fixtures;

    /** Each rule constant, the factory that builds it, and the fixture class it must catch. */
    static Stream<Arguments> rules() {
        return Stream.of(
                rule("ONION", ArchitectureRules::onion, "adapter.openai.OpenAiAdapterCallingTheWebSocketAdapter"),
                rule("ONION", ArchitectureRules::onion, "domain.DomainCallingTheApplication"),
                rule("ONION", ArchitectureRules::onion, "bridge.BridgeCallingTheDomain"),
                rule("ONION", ArchitectureRules::onion, "adapter.redis.RedisStoreCallingTheMemoryStore"),
                rule("NOTHING_DEPENDS_ON_BOOTSTRAP", ArchitectureRules::nothingDependsOnBootstrap,
                        "adapter.sandbox.SandboxCallingBootstrap"),
                rule("EVERY_CLASS_BELONGS_TO_A_LAYER", ArchitectureRules::everyClassBelongsToALayer, "misc.StrayClass"),
                rule("DOMAIN_DEPENDS_ON_JDK_ONLY", ArchitectureRules::domainDependsOnJdkOnly,
                        "domain.DomainUsingReactor"),
                rule("APPLICATION_DEPENDS_ON_DOMAIN_ONLY", ArchitectureRules::applicationDependsOnDomainOnly,
                        "application.ApplicationUsingSpring"),
                rule("APPLICATION_DEPENDS_ON_DOMAIN_ONLY", ArchitectureRules::applicationDependsOnDomainOnly,
                        "application.ApplicationUsingReactorNetty"),
                rule("ONLY_THE_OPENAI_ADAPTER_USES_THE_OPENAI_SDK",
                        ArchitectureRules::onlyTheOpenAiAdapterUsesTheOpenAiSdk, "adapter.sandbox.SandboxUsingTheOpenAiSdk"),
                rule("ONLY_THE_WEBSOCKET_ADAPTER_AND_BOOTSTRAP_USE_WEBFLUX",
                        ArchitectureRules::onlyTheWebSocketAdapterAndBootstrapUseWebFlux,
                        "adapter.sandbox.SandboxUsingWebFlux"),
                rule("ONLY_THE_WEBSOCKET_ADAPTER_AND_BOOTSTRAP_USE_SPRING_SECURITY",
                        ArchitectureRules::onlyTheWebSocketAdapterAndBootstrapUseSpringSecurity,
                        "application.ApplicationUsingSpringSecurity"),
                rule("PORTS_ARE_INTERFACES_IN_DOMAIN_PORT", ArchitectureRules::portsAreInterfacesInDomainPort,
                        "adapter.sandbox.SandboxRunPort"),
                rule("PORTS_ARE_INTERFACES_IN_DOMAIN_PORT", ArchitectureRules::portsAreInterfacesInDomainPort,
                        "application.FixtureLedgerPort"),
                rule("USE_CASES_ARE_INTERFACES_IN_APPLICATION_USECASE",
                        ArchitectureRules::useCasesAreInterfacesInApplicationUseCase,
                        "adapter.sandbox.SandboxStartRunUseCase"),
                rule("USE_CASES_ARE_INTERFACES_IN_APPLICATION_USECASE",
                        ArchitectureRules::useCasesAreInterfacesInApplicationUseCase, "domain.FixtureCancelRunUseCase"),
                rule("ADAPTERS_CALL_USE_CASES_NOT_SERVICES", ArchitectureRules::adaptersCallUseCasesNotServices,
                        "adapter.websocket.WebSocketAdapterCallingAService"),
                rule("CONFIGURATION_ONLY_IN_BOOTSTRAP_AND_ADAPTERS",
                        ArchitectureRules::configurationOnlyInBootstrapAndAdapters, "domain.DomainConfiguration"),
                rule("ASPECTS_ONLY_IN_BOOTSTRAP", ArchitectureRules::aspectsOnlyInBootstrap, "adapter.sandbox.SandboxAspect"),
                rule("ASPECTS_ONLY_IN_BOOTSTRAP", ArchitectureRules::aspectsOnlyInBootstrap,
                        "adapter.sandbox.SandboxInterceptor"),
                rule("NO_CYCLES_BETWEEN_MODULES", ArchitectureRules::noCyclesBetweenModules,
                        "domain.DomainCallingTheApplication"),
                rule("NO_CYCLES_INSIDE_THE_DOMAIN", ArchitectureRules::noCyclesInsideTheDomain, "domain.alpha.Alpha"),
                rule("NO_FIELD_INJECTION", ArchitectureRules::noFieldInjection, "bootstrap.FieldInjected"),
                rule("NO_STANDARD_STREAMS", ArchitectureRules::noStandardStreams, "bootstrap.PrintsToStandardOut"),
                rule("NO_GENERIC_EXCEPTIONS", ArchitectureRules::noGenericExceptions, "bootstrap.ThrowsAGenericException"),
                rule("NO_JAVA_UTIL_LOGGING", ArchitectureRules::noJavaUtilLogging, "bootstrap.UsesJavaUtilLogging"));
    }

    private static Arguments rule(String constant, Function<String, ArchRule> factory, String offender) {
        return Arguments.of(constant, factory, FIXTURE_ROOT + "." + offender);
    }

    /**
     * AspectJ reaches bootstrap's classpath only with the error-handling aspect, so the @Aspect fixture is
     * written as a class file with the JDK's ClassFile API: the rule matches the annotation by name.
     */
    @BeforeAll
    static void importFixtures(@TempDir Path generated) throws IOException, URISyntaxException {
        byte[] aspect = ClassFile.of().build(ClassDesc.of(GENERATED_ASPECT), type -> type
                .withFlags(ClassFile.ACC_PUBLIC)
                .withSuperclass(ConstantDescs.CD_Object)
                .with(RuntimeVisibleAnnotationsAttribute.of(
                        Annotation.of(ClassDesc.of("org.aspectj.lang.annotation.Aspect")))));
        Path aspectFile = generated.resolve(GENERATED_ASPECT.replace('.', '/') + ".class");
        Files.createDirectories(aspectFile.getParent());
        Files.write(aspectFile, aspect);

        Path testClasses = Path.of(ArchitectureRulesSelfTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        fixtures = new ClassFileImporter().importPaths(testClasses.resolve(FIXTURE_ROOT.replace('.', '/')), generated);
    }

    @ParameterizedTest(name = "{0} catches {2}")
    @MethodSource("rules")
    void ruleCatchesItsFixture(String constant, Function<String, ArchRule> factory, String offender) {
        var result = factory.apply(FIXTURE_ROOT).evaluate(fixtures);

        assertThat(result.hasViolation()).as("%s must fail on the fixtures", constant).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .as("%s must name the class made to break it", constant)
                .anySatisfy(detail -> assertThat(detail).contains(offender));
    }

    @ParameterizedTest(name = "{0} is built by its factory")
    @MethodSource("rules")
    void constantIsTheFactorysRuleForTheProductionRoot(
            String constant, Function<String, ArchRule> factory, String offender) throws ReflectiveOperationException {
        ArchRule production = (ArchRule) ArchitectureRules.class.getField(constant).get(null);

        assertThat(production.getDescription())
                .as("the self-test checks the same rule text that runs on production")
                .isEqualTo(factory.apply(ArchitectureRules.ROOT).getDescription());
    }

    @Test
    void everyRuleConstantHasAFailingFixture() {
        var constants = Arrays.stream(ArchitectureRules.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && ArchRule.class.isAssignableFrom(field.getType()))
                .map(Field::getName)
                .collect(Collectors.toSet());
        var tested = rules().map(arguments -> (String) arguments.get()[0]).collect(Collectors.toSet());

        assertThat(tested).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void legalFixtures_areNotReported() {
        var result = ArchitectureRules.adaptersCallUseCasesNotServices(FIXTURE_ROOT).evaluate(fixtures);

        assertThat(result.getFailureReport().getDetails())
                .as("an adapter that calls a use case is what the rule asks for")
                .noneSatisfy(detail -> assertThat(detail).contains("FixtureWebSocketHandler"));
    }
}
