package dev.canalboot.bench.jvm;

import dev.canalboot.bench.contender.Contender;
import dev.canalboot.bench.contender.DebeziumContender;
import dev.canalboot.bench.contender.OurBinlogContender;
import dev.canalboot.bench.contender.RawDumpContender;
import dev.canalboot.bench.contender.ZendeskContender;
import dev.canalboot.binlog.RowDecoding;

import java.util.List;

/**
 * The contenders of the separate-JVM harness, in table order. Each is created only in its own child JVM, whose
 * class path may lack the other contenders' libraries.
 */
public final class JvmContenders {

    public static final String OURS = "1-ours-binlog-typed";
    public static final String FAST = "3-fast";
    public static final String DEFAULT = "3-default";
    public static final String DEBEZIUM = "7-debezium";
    public static final String LIMIT = "6-limit";
    /** Ours with the row decoding shared with the listener thread (ADAPTIVE): measured only when named. */
    public static final String OURS_ADAPTIVE = OurBinlogContender.ADAPTIVE_ID;

    private JvmContenders() {
    }

    public static List<String> ids() {
        return List.of(OURS, FAST, DEFAULT, DEBEZIUM, LIMIT);
    }

    /** {@link #ids()} and the contenders measured only when named, in table order. */
    public static List<String> all() {
        return List.of(OURS, OURS_ADAPTIVE, FAST, DEFAULT, DEBEZIUM, LIMIT);
    }

    /** A switch, not method references: those would load every contender's classes. */
    static Contender create(String id) {
        return switch (id) {
            case OURS -> new OurBinlogContender(true);
            case OURS_ADAPTIVE -> new OurBinlogContender(true, RowDecoding.ADAPTIVE);
            case FAST -> new ZendeskContender(true);
            case DEFAULT -> new ZendeskContender(false);
            case DEBEZIUM -> new DebeziumContender();
            case LIMIT -> new RawDumpContender();
            default -> throw new IllegalArgumentException("No contender '" + id + "' in the separate-JVM harness; "
                    + "known: " + all());
        };
    }
}
