package dev.canalboot.canal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Columns whose values Canal 1.1.7 damages before any client sees them, named in the log once per table shape (the
 * callers build a table's schema once per shape). MariaDB's UUID, INET6 and INET4 are binary in the binlog, but
 * Canal decodes them as text in its connection's character set: each byte of 0x80 and above, or a run of them,
 * arrives as one {@code ?} (0x3F) and the value is padded with zeros, so {@code 123e4567-e89b-...} arrives as
 * {@code 12 3e 45 67 3f 12 3f ...}. Nothing can restore them here.
 */
public final class CanalDamagedColumns {

    private static final Logger log = LoggerFactory.getLogger(CanalDamagedColumns.class);

    private CanalDamagedColumns() {
    }

    /** Logs one WARN naming the columns of {@code table} whose type text (as Canal gives it) Canal damages. */
    public static void warnOf(String source, String table, List<String> names, List<String> typeTexts) {
        warnOf(source, table, names, typeTexts, null);
    }

    /**
     * As {@link #warnOf(String, String, List, List)}, unless {@code warned} (shared by the threads that build one
     * source's schemas) already holds the table with these columns.
     */
    public static void warnOf(String source, String table, List<String> names, List<String> typeTexts,
                              @Nullable Set<String> warned) {
        StringBuilder damaged = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String type = typeTexts.get(i);
            if (type != null && MySqlTypeText.isMariaDbBinaryType(type.trim())) {
                damaged.append(damaged.isEmpty() ? "" : ", ").append(names.get(i)).append(' ').append(type.trim());
            }
        }
        if (!damaged.isEmpty() && (warned == null || warned.add(table + " (" + damaged + ")"))) {
            log.warn("Source '{}': table {} has MariaDB binary-typed columns ({}) that Canal 1.1.7 decodes as text: "
                    + "every byte of 0x80 and above arrives as '?' (0x3F), so their values are not the stored ones. "
                    + "Read such tables with the binlog source", source, table, damaged);
        }
    }
}
