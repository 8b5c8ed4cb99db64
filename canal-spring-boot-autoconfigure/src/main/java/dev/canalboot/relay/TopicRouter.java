package dev.canalboot.relay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which topics the changes of a table go to, with the rules of Canal's {@code canal.mq.dynamicTopic}: each rule
 * {@code [topic:]schemaRegex} or {@code [topic:]schemaRegex.tableRegex} (regexes case-insensitive, over the
 * whole name); a matching table goes to the rule's topic, or without one to {@code schema} (schema rule) or
 * {@code schema_table} (table rule), lower case; to every topic of every matching rule; to the default topic
 * when none matches.
 */
public final class TopicRouter {

    private record Rule(String topic, Pattern names, boolean tableRule) {
    }

    private final String defaultTopic;
    private final List<Rule> rules;
    private final Map<String, List<String>> byTable = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException naming the rule that is not a valid regex */
    public TopicRouter(String defaultTopic, List<String> dynamicTopic) {
        this.defaultTopic = defaultTopic;
        List<Rule> parsed = new ArrayList<>();
        for (String text : dynamicTopic) {
            String rule = text.trim();
            if (rule.isEmpty()) {
                continue;
            }
            int colon = rule.indexOf(':');
            String topic = colon > 0 ? rule.substring(0, colon).trim() : null;
            String names = colon > 0 ? rule.substring(colon + 1).trim() : rule;
            try {
                // A rule with a dot is over "schema.table", one without over the schema alone.
                parsed.add(new Rule(topic, Pattern.compile(names, Pattern.CASE_INSENSITIVE), names.contains(".")));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("dynamic-topic rule '" + text + "' is not a valid regex: "
                        + e.getDescription(), e);
            }
        }
        this.rules = List.copyOf(parsed);
    }

    /** The topic of changes no rule matches (and of DDL on no table). */
    public String defaultTopic() {
        return defaultTopic;
    }

    /** The topics of a table's changes, in rule order; the default topic when no rule matches. */
    public List<String> topics(String schema, String table) {
        return byTable.computeIfAbsent(schema + "." + table, key -> resolve(schema, table));
    }

    private List<String> resolve(String schema, String table) {
        Set<String> topics = new LinkedHashSet<>();
        for (Rule rule : rules) {
            String name = rule.tableRule ? schema + "." + table : schema;
            if (rule.names.matcher(name).matches()) {
                topics.add(rule.topic != null ? rule.topic
                        : (rule.tableRule ? schema + "_" + table : schema).toLowerCase(Locale.ROOT));
            }
        }
        if (topics.isEmpty()) {
            topics.add(defaultTopic);
        }
        return List.copyOf(topics);
    }
}
