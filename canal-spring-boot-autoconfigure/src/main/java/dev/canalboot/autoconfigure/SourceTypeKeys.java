package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which keys of a source ({@code canal.source.*}, {@code canal.sources.<name>.*}) apply to which
 * {@link SourceType}: the one place a source type declares its keys. A key is the first element after the
 * source's prefix ({@code ssl} for {@code ssl.trust-store}), so a nested group is one key.
 * <p>
 * A key set in the configuration that does not apply to the source's type fails start-up, naming the key, the
 * source and the type ({@code semi-sync} on a Canal source would otherwise be silently ignored). A key no type
 * declares is logged as a warning (a typo, or a key of a newer version).
 * <p>
 * A new source type, or a new nested group, is one line in {@link #DECLARED}: {@code key(KAFKA, "kafka")},
 * {@code key(BINLOG, "snapshot")}, {@code common("ha")}.
 */
final class SourceTypeKeys {

    private static final Logger log = LoggerFactory.getLogger(SourceTypeKeys.class);

    /** Key (dashed form) → the types it applies to; insertion order is the order messages list them. */
    private static final Map<String, Set<SourceType>> DECLARED = new LinkedHashMap<>();

    static {
        common("type", "batch-size", "fetch-timeout", "reconnect", "start-paused", "auto-startup", "concurrency");
        key(EnumSet.of(SourceType.BINLOG, SourceType.CANAL), "username", "password", "read-timeout", "ha");
        // A Kafka source waits this long for the brokers' offsets before it counts the connection as lost.
        key(EnumSet.allOf(SourceType.class), "connect-timeout");
        key(SourceType.BINLOG, "host", "port", "server-id", "ssl", "start", "checkpoint-wins", "heartbeat-interval",
                "semi-sync", "row-decoding", "queue-capacity", "snapshot", "relay");
        key(SourceType.CANAL, "addresses", "destination", "client-id", "filter", "use-server-filter", "prefetch",
                "upstream");
        key(SourceType.CANAL, "zookeeper");
        // Canal renders TIMESTAMP text in its JVM's zone, whether it sends entries or MQ messages.
        key(EnumSet.of(SourceType.CANAL, SourceType.KAFKA), "server-time-zone");
        key(SourceType.KAFKA, "kafka");
    }

    private SourceTypeKeys() {
    }

    /** Keys every source type takes. */
    private static void common(String... keys) {
        key(EnumSet.allOf(SourceType.class), keys);
    }

    private static void key(SourceType type, String... keys) {
        key(EnumSet.of(type), keys);
    }

    private static void key(Set<SourceType> types, String... keys) {
        for (String key : keys) {
            DECLARED.computeIfAbsent(key, k -> EnumSet.noneOf(SourceType.class)).addAll(types);
        }
    }

    /** The keys of {@code type}, dashed, in declaration order. */
    static Set<String> keysOf(SourceType type) {
        return DECLARED.entrySet().stream().filter(e -> e.getValue().contains(type)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Checks the keys set under {@code prefix} in {@code environment} against {@code type}.
     *
     * @throws InvalidCanalConfigurationException for the first key set that does not apply to {@code type}
     */
    static void check(Environment environment, String name, String prefix, SourceType type) {
        // adapt, not of: a source name need not be in canonical form (upper case, underscores)
        ConfigurationPropertyName root = ConfigurationPropertyName.adapt(prefix, '.');
        Set<String> unknown = new TreeSet<>();
        for (String key : keysSet(environment, root)) {
            Map.Entry<String, Set<SourceType>> declared = declared(key);
            if (declared == null) {
                unknown.add(key);
            } else if (!declared.getValue().contains(type)) {
                String typeName = lower(type);
                String owners = declared.getValue().stream().map(SourceTypeKeys::lower)
                        .collect(Collectors.joining(" or "));
                String property = prefix + "." + declared.getKey();
                String shown = isGroup(environment, root.append(declared.getKey())) ? property + ".*" : property;
                throw new InvalidCanalConfigurationException(property,
                        "Key '" + declared.getKey() + "' does not apply to source '" + name + "' of type " + typeName
                                + ": it is a key of " + owners + " sources, and a " + typeName
                                + " source would ignore it.",
                        "Remove " + shown + ", or set " + prefix + ".type to " + owners
                                + " if the source is meant to be one. The keys of a " + typeName + " source: "
                                + String.join(", ", keysOf(type)) + ".");
            }
        }
        if (!unknown.isEmpty()) {
            log.warn("Source '{}' ({}): {} {} no key of any source type and {} ignored; the keys of a {} source: {}",
                    name, prefix, unknown.stream().map(k -> prefix + "." + k).collect(Collectors.joining(", ")),
                    unknown.size() == 1 ? "is" : "are", unknown.size() == 1 ? "is" : "are", lower(type),
                    String.join(", ", keysOf(type)));
        }
    }

    /** The first elements (uniform form: lower case, no dashes) of the names set below {@code root}. */
    private static Set<String> keysSet(Environment environment, ConfigurationPropertyName root) {
        Set<String> keys = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(root::isAncestorOf).stream().forEach(
                        property -> keys.add(property.getElement(root.getNumberOfElements(), Form.UNIFORM)));
            }
        }
        return keys;
    }

    /** Whether names below {@code group} are set (a nested group such as {@code ssl.*}). */
    private static boolean isGroup(Environment environment, ConfigurationPropertyName group) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable
                    && iterable.filter(group::isAncestorOf).stream().findAny().isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static Map.Entry<String, Set<SourceType>> declared(String uniformKey) {
        for (Map.Entry<String, Set<SourceType>> entry : DECLARED.entrySet()) {
            if (entry.getKey().replace("-", "").equals(uniformKey)) {
                return entry;
            }
        }
        return null;
    }

    private static String lower(SourceType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
