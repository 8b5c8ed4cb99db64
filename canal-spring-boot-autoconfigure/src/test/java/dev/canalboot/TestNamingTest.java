package dev.canalboot;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test suffix convention README "Architecture" describes, checked on this module's compiled test classes: a
 * {@code *Test} runs under surefire without a server or another process, a {@code *IT} (failsafe) uses one, directly
 * or through its superclasses and the test classes it uses (fixtures, {@code *Contract} bases). A misnamed class is
 * renamed, not exempted.
 */
class TestNamingTest {

    /** Real servers and other processes. */
    private static final Set<String> SERVERS = Set.of(
            "dev.canalboot.embedded.EmbeddedDatabase", "dev.canalboot.embedded.EmbeddedMySql",
            "dev.canalboot.embedded.EmbeddedMariaDb", "dev.canalboot.embedded.DebianMySqlPackages",
            "dev.canalboot.embedded.ServerProcess",
            "org.springframework.kafka.test.EmbeddedKafkaBroker",
            "org.springframework.kafka.test.EmbeddedKafkaKraftBroker",
            "org.apache.curator.test.TestingServer", "org.apache.curator.test.TestingCluster",
            "java.lang.ProcessBuilder");

    private static JavaClasses tests;

    @BeforeAll
    static void importTestClasses() {
        tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.canalboot");
    }

    @Test
    void unitTestsUseNoServer() {
        assertThat(topLevel("Test").stream().filter(TestNamingTest::usesServer).map(JavaClass::getName))
                .as("a test against real servers or other JVMs is named *IT and run by failsafe").isEmpty();
    }

    @Test
    void integrationTestsUseAServer() {
        List<JavaClass> its = topLevel("IT");
        assertThat(its).isNotEmpty();
        assertThat(its.stream().filter(c -> !usesServer(c)).map(JavaClass::getName))
                .as("a test without a server or another process is a unit test, named *Test").isEmpty();
    }

    private static List<JavaClass> topLevel(String suffix) {
        return StreamSupport.stream(tests.spliterator(), false)
                .filter(c -> c.isTopLevelClass() && c.getSimpleName().endsWith(suffix)).toList();
    }

    /** Whether the class, its superclasses or the test classes they use (transitively) reach a server. */
    private static boolean usesServer(JavaClass start) {
        Deque<JavaClass> todo = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            JavaClass c = todo.pop();
            if (!seen.add(c.getName())) {
                continue;
            }
            if (SERVERS.contains(c.getName())) {
                return true;
            }
            if (!tests.contain(c.getName())) {
                continue; // main code and libraries: only their own names count
            }
            c.getRawSuperclass().ifPresent(todo::push);
            c.getDirectDependenciesFromSelf().stream().map(Dependency::getTargetClass).forEach(todo::push);
            StreamSupport.stream(tests.spliterator(), false)
                    .filter(nested -> nested.getEnclosingClass().map(c::equals).orElse(false)).forEach(todo::push);
        }
        return false;
    }
}
