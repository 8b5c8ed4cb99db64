package dev.canalboot.bench;

/** A binlog file and byte offset. */
public record BinlogPosition(String file, long position) {

    /** Whether this position is at or past {@code other} (binlog file names sort in creation order). */
    public boolean reached(BinlogPosition other) {
        int byFile = file.compareTo(other.file);
        return byFile > 0 || (byFile == 0 && position >= other.position);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
