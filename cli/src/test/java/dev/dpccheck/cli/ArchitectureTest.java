package dev.dpccheck.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

/**
 * The architecture of DESIGN §1 and §4, checked on dpccheck's own classes (the main classes of
 * every module on this module's classpath), each rule with the contract it keeps.
 */
@AnalyzeClasses(packages = "dev.dpccheck", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The analyzer's stages and what sits on them, lowest first (DESIGN §4). */
    private static final String[][] LAYERS = {
        {"findings", "dev.dpccheck.analyzer.findings.."},
        {"scan", "dev.dpccheck.analyzer.scan.."},
        {"model", "dev.dpccheck.analyzer.model.."},
        {"driver", "dev.dpccheck.analyzer.driver.."},
        {"cfg", "dev.dpccheck.analyzer.cfg.."},
        {"dataflow", "dev.dpccheck.analyzer.dataflow.."},
        {"spi", "dev.dpccheck.analyzer.spi.."},
        {"pipeline", "dev.dpccheck.analyzer"},
        {"report", "dev.dpccheck.analyzer.report.."},
        {"rules", "dev.dpccheck.rules.."},
        {"cli", "dev.dpccheck.cli.."},
    };

    // contract: the analyzer is a pipeline of stages, each reaching only the stages below it
    @ArchTest
    static final ArchRule STAGES = stages();

    private static ArchRule stages() {
        Architectures.LayeredArchitecture a = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] l : LAYERS) {
            a = a.layer(l[0]).definedBy(l[1]);
        }
        for (int i = 0; i < LAYERS.length - 1; i++) {
            String[] above = new String[LAYERS.length - 1 - i];
            for (int j = i + 1; j < LAYERS.length; j++) {
                above[j - i - 1] = LAYERS[j][0];
            }
            a = a.whereLayer(LAYERS[i][0]).mayOnlyBeAccessedByLayers(above);
        }
        return a.whereLayer("cli").mayNotBeAccessedByAnyLayer();
    }

    // contract: no two stages of the analyzer depend on each other
    @ArchTest
    static final ArchRule NO_CYCLES_IN_THE_ANALYZER = slices().matching("dev.dpccheck.analyzer.(*)..")
            .should().beFreeOfCycles();

    // contract: no two modules depend on each other (the WDM API with its SPI is one)
    @ArchTest
    static final ArchRule NO_CYCLES_BETWEEN_MODULES = slices().matching("dev.dpccheck.(*)..").should().beFreeOfCycles();

    // contract: rules read the rule SPI and the dataflow state, never the front end (DESIGN §1)
    @ArchTest
    static final ArchRule RULES_OFF_THE_FRONT_END = noClasses().that().resideInAPackage("dev.dpccheck.rules..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dpccheck.analyzer.scan..",
                    "dev.dpccheck.analyzer.model..", "dev.dpccheck.analyzer.cfg..", "com.github.javaparser..");

    // contract: the WDM API is pure: drivers compile against it alone, it reaches the kernel through its SPI
    @ArchTest
    static final ArchRule API_PURE = noClasses().that().resideInAPackage("dev.dpccheck.wdm..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dpccheck.kernel..", "dev.dpccheck.analyzer..");

    // contract: dependencies flow one way, kernel <- analyzer <- rules <- cli
    @ArchTest
    static final ArchRule KERNEL_BELOW = noClasses().that().resideInAnyPackage("dev.dpccheck.kernel..",
            "dev.dpccheck.wdm..").should().dependOnClassesThat().resideInAnyPackage("dev.dpccheck.analyzer..",
                    "dev.dpccheck.rules..", "dev.dpccheck.cli..");
}
