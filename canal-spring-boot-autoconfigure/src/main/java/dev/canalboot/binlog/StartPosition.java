package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;

import java.util.Objects;

/**
 * Where a binlog source starts reading when it has no acknowledged position yet. {@code toString()} gives it as
 * people write it: {@code latest}, {@code earliest}, {@code binlog.000042:1234}, {@code gtid 3e11...:1-42}.
 */
public sealed interface StartPosition {

    /** The server's current end of binlog: only changes made from now on. */
    record Latest() implements StartPosition {
        @Override
        public String toString() {
            return "latest";
        }
    }

    /** The oldest binlog file the server still has. */
    record Earliest() implements StartPosition {
        @Override
        public String toString() {
            return "earliest";
        }
    }

    /** An exact file and byte offset; it must be the start of an event (4 is the start of a file). */
    record FilePosition(String file, long position) implements StartPosition {
        public FilePosition {
            Objects.requireNonNull(file, "file");
            if (position < 4) {
                throw new IllegalArgumentException("Binlog position " + position + " in " + file
                        + " is before the first event (4)");
            }
        }

        @Override
        public String toString() {
            return file + ":" + position;
        }
    }

    /** MySQL: every transaction not in {@code executed} (resumes by GTID, across failovers). */
    record MySqlGtids(GtidSet executed) implements StartPosition {
        public MySqlGtids {
            Objects.requireNonNull(executed, "executed");
        }

        @Override
        public String toString() {
            return "gtid " + executed;
        }
    }

    /** MariaDB: after the given GTID position, {@code domain-server-seq[,...]} (one per replication domain). */
    record MariaDbGtids(String position) implements StartPosition {
        public MariaDbGtids {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toString() {
            return "gtid " + position;
        }
    }
}
