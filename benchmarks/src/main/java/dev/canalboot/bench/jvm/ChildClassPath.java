package dev.canalboot.bench.jvm;

import java.io.File;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The class path of a contender's child JVM: this JVM's, less what belongs to another contender. Debezium ships
 * its own fork of the binlog connector ({@code io.debezium:mysql-binlog-connector-java}) in the same packages as
 * {@code com.zendesk:mysql-binlog-connector-java}: Debezium's child gets only the fork, every other child none
 * of Debezium's jars.
 */
public final class ChildClassPath {

    private static final String ZENDESK_CONNECTOR = "/com/zendesk/mysql-binlog-connector-java/";
    private static final String DEBEZIUM = "/io/debezium/";

    private ChildClassPath() {
    }

    public static String of(String contenderId) {
        String own = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return filter(own, contenderId);
    }

    static String filter(String classPath, String contenderId) {
        String dropped = JvmContenders.DEBEZIUM.equals(contenderId) ? ZENDESK_CONNECTOR : DEBEZIUM;
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.replace(File.separatorChar, '/').contains(dropped))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
