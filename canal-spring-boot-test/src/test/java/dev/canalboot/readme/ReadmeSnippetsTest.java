package dev.canalboot.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet of README.md is compiled: its lines (trimmed, blank lines ignored) stand in a row in some
 * Java source of this repository that the build compiles (imports aside), and every import it shows is an import
 * of that file.
 * The snippets' compiled homes are in {@code dev.canalboot.readme} (here and in autoconfigure's tests) and the
 * examples of "Testing your listeners" are whole test classes.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaSnippetStandsInACompiledSourceWithItsImports() throws IOException {
        List<String> snippets = snippets(Files.readString(ROOT.resolve("README.md")));
        assertThat(snippets).as("Java snippets of README.md").hasSizeGreaterThan(10);
        Map<Path, List<String>> sources = sources();
        List<String> homeless = new ArrayList<>();
        for (String snippet : snippets) {
            List<String> lines = normalized(snippet);
            List<String> imports = lines.stream().filter(line -> line.startsWith("import ")).toList();
            List<String> code = lines.stream().filter(line -> !line.startsWith("import ")).toList();
            boolean compiled = sources.values().stream()
                    .anyMatch(file -> file.containsAll(imports) && Collections.indexOfSubList(withoutImports(file), code) >= 0);
            if (!compiled) {
                homeless.add(code.get(0) + " ... (" + code.size() + " lines)");
            }
        }
        assertThat(homeless).as("README snippets without a compiled copy (update the copy in dev.canalboot.readme "
                + "or the example test together with the README)").isEmpty();
    }

    @Test
    void everySnippetShowsItsImports() throws IOException {
        List<String> withoutImports = snippets(Files.readString(ROOT.resolve("README.md"))).stream()
                .filter(snippet -> !snippet.contains("\nimport ") && !snippet.startsWith("import "))
                .map(snippet -> normalized(snippet).get(0)).toList();
        assertThat(withoutImports).as("README Java snippets without imports").isEmpty();
    }

    private static List<String> withoutImports(List<String> lines) {
        return lines.stream().filter(line -> !line.startsWith("import ")).toList();
    }

    private static List<String> snippets(String readme) {
        List<String> snippets = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(readme);
        while (matcher.find()) {
            snippets.add(matcher.group(1));
        }
        return snippets;
    }

    private static Map<Path, List<String>> sources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> file.toString().contains("/src/main/java/") || file.toString().contains("/src/test/java/"))
                    .filter(file -> !file.toString().contains("/target/"))
                    .collect(Collectors.toMap(file -> file, ReadmeSnippetsTest::read));
        }
    }

    private static List<String> read(Path file) {
        try {
            return normalized(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> normalized(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
