package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.ha.HaMode;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The configured sources under high availability: their modes, and which of them are binlog sources. */
record HaSources(Map<String, HaMode> modes, Set<String> binlogSources, Map<String, String> prefixes) {

    static HaSources of(CanalProperties properties) {
        Map<String, HaMode> modes = new LinkedHashMap<>();
        Map<String, String> prefixes = new LinkedHashMap<>();
        properties.allSources().forEach((name, source) -> {
            if (source.getHa().getMode() != HaMode.NONE) {
                modes.put(name, source.getHa().getMode());
                prefixes.put(name, ConfiguredSourcesRegistrar.prefixOf(properties, name));
            }
        });
        Set<String> binlog = modes.keySet().stream()
                .filter(name -> properties.allSources().get(name).effectiveType() == SourceType.BINLOG)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        return new HaSources(modes, binlog, prefixes);
    }

    static HaSources of(Environment environment) {
        return of(Binder.get(environment).bind(CanalProperties.PREFIX, CanalProperties.class)
                .orElseGet(CanalProperties::new));
    }

    boolean isEmpty() {
        return modes.isEmpty();
    }

    /** The first source using {@code mode}, or null. */
    @Nullable String firstWith(HaMode mode) {
        return modes.entrySet().stream().filter(e -> e.getValue() == mode).map(Map.Entry::getKey).findFirst()
                .orElse(null);
    }

    /** The property that set the mode of {@code source}. */
    String modeProperty(String source) {
        return prefixes.get(source) + ".ha.mode";
    }
}
