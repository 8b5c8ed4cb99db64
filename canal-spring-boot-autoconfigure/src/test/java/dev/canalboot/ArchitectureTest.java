package dev.canalboot;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package layout README "Architecture" describes, checked on the compiled main classes: no package cycles,
 * the wire-level internals ({@code dev.canalboot.internal..}) below every feature, the change model and the
 * source SPI at the bottom, the auto-configuration at the top.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // this module's classes and its siblings' from the reactor; opening every library jar would be slow
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.canalboot");
    }

    /**
     * Every package is a slice of its own, the two listener packages too: {@code listener} (the annotation model,
     * its bean post-processor and registry, the invokers) uses {@code listener.container}, never the other way.
     */
    @Test
    void noPackageCycles() {
        slices().matching("dev.canalboot.(**)").should().beFreeOfCycles().check(main);
    }

    /** Internal code serves the features and never reaches back into them. */
    @Test
    void internalDependsOnlyOnInternalModelSourceAndTlsSettings() {
        classes().that().resideInAPackage("dev.canalboot.internal..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.canalboot..")
                        .or(resideInAnyPackage("dev.canalboot.internal..", "dev.canalboot.model..",
                                "dev.canalboot.source", "dev.canalboot.binlog.tls")))
                .check(main);
    }

    /** The change model every source produces depends on nothing else of the project. */
    @Test
    void modelDependsOnNoOtherPackage() {
        classes().that().resideInAPackage("dev.canalboot.model..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.canalboot..")
                        .or(resideInAPackage("dev.canalboot.model..")))
                .check(main);
    }

    /** The source SPI knows only the change model, so every source type can implement it. */
    @Test
    void sourceDependsOnlyOnModel() {
        classes().that().resideInAPackage("dev.canalboot.source")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.canalboot..")
                        .or(resideInAnyPackage("dev.canalboot.source", "dev.canalboot.model..")))
                .check(main);
    }

    /** Auto-configuration wires the features together; no feature depends on it. */
    @Test
    void onlyAutoconfigureUsesAutoconfigure() {
        noClasses().that().resideOutsideOfPackage("dev.canalboot.autoconfigure..")
                .should().dependOnClassesThat().resideInAPackage("dev.canalboot.autoconfigure..")
                .check(main);
    }

    /**
     * What a binlog source is given and gives back at its public face speaks only public types: a checkpoint's GTIDs
     * are text, the decoder's settings are {@code zeroDates} and {@code verifyChecksums}. The members listed are the
     * exposures still left (the connection settings, a MySQL GTID start, the table shapes, the decoder factory).
     */
    @Test
    void binlogApiExposesNoInternalTypes() {
        Set<String> stillExposed = Set.of("BinlogSourceSettings.<init>", "BinlogSourceSettings.connection",
                "BinlogChangeSource.tableShapes", "MySqlGtids.<init>", "MySqlGtids.executed", "Factory.create");
        List<String> exposed = new ArrayList<>();
        for (JavaClass type : main) {
            if (!type.getPackageName().equals("dev.canalboot.binlog") || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
                continue;
            }
            for (JavaCodeUnit member : type.getCodeUnits()) {
                String name = type.getSimpleName() + "." + member.getName();
                boolean internal = Stream.concat(Stream.of(member.getRawReturnType()),
                                member.getRawParameterTypes().stream())
                        .anyMatch(t -> t.getPackageName().startsWith("dev.canalboot.internal"));
                if (member.getModifiers().contains(JavaModifier.PUBLIC) && internal && !stillExposed.contains(name)) {
                    exposed.add(member.getFullName());
                }
            }
        }
        assertThat(exposed).as("public binlog members with internal types").isEmpty();
    }
}
