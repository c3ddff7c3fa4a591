package dev.runrelay.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * Runs every rule of {@link ArchitectureRules} against the production classes of all modules
 * (bootstrap's test classpath holds every module's jar).
 */
@AnalyzeClasses(
        packages = ArchitectureRules.ROOT,
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureRules.DoNotIncludeTestJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchTests RULES = ArchTests.in(ArchitectureRules.class);

    /** The rules are only as good as the import: every module's production code, and no test code. */
    @ArchTest
    static void importSeesTheProductionCodeOfEveryModuleAndNoTestCode(JavaClasses classes) {
        assertThat(classes.containPackage("dev.runrelay.domain.port")).isTrue();
        assertThat(classes.containPackage("dev.runrelay.application.usecase")).isTrue();
        assertThat(classes.containPackage("dev.runrelay.bootstrap")).isTrue();
        assertThat(classes.stream().map(JavaClass::getPackageName))
                .as("test-jars (shared builders) and the rule fixtures are not production code")
                .noneMatch(name -> name.startsWith("dev.runrelay.domain.fixtures"))
                .noneMatch(name -> name.startsWith("dev.runrelay.archfixtures"))
                .noneMatch(name -> name.startsWith("dev.runrelay.bootstrap.architecture"));
    }
}
