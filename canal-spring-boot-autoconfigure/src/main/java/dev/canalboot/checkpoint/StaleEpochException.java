package dev.canalboot.checkpoint;

/** A checkpoint write carried an epoch older than the source's current leader's: the writer was deposed. */
public class StaleEpochException extends CheckpointException {

    private final String source;
    private final long epoch;
    private final long currentEpoch;

    public StaleEpochException(String source, long epoch, long currentEpoch, String location) {
        super("Checkpoint write of source '" + source + "' refused: it carries leader epoch " + epoch + " but "
                + location + " is fenced at epoch " + currentEpoch + " (another instance took over the source)");
        this.source = source;
        this.epoch = epoch;
        this.currentEpoch = currentEpoch;
    }

    /** A write of an instance that does not lead the source at all (it stepped down or never led it). */
    public StaleEpochException(String source) {
        super("Checkpoint write of source '" + source + "' refused: this instance does not lead the source"
                + " (it stepped down or was never elected)");
        this.source = source;
        this.epoch = -1;
        this.currentEpoch = -1;
    }

    public String getSource() {
        return source;
    }

    public long getEpoch() {
        return epoch;
    }

    public long getCurrentEpoch() {
        return currentEpoch;
    }
}
