package dev.canalboot.snapshot;

/**
 * A place in the server's binlog: a file and a byte offset. Files of one server are named {@code base.NNNNNN}
 * with a growing number, so they order by that number (then by name).
 */
public record BinlogPoint(String file, long position) implements Comparable<BinlogPoint> {

    @Override
    public int compareTo(BinlogPoint other) {
        int byFile = compareFiles(file, other.file);
        return byFile != 0 ? byFile : Long.compare(position, other.position);
    }

    static int compareFiles(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int da = a.lastIndexOf('.');
        int db = b.lastIndexOf('.');
        if (da > 0 && db > 0 && a.substring(0, da).equals(b.substring(0, db))) {
            try {
                return Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
            } catch (NumberFormatException e) {
                // not numbered: by name
            }
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
