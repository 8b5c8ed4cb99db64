package dev.canalboot.ha;

/** One election engine of the application, shared by the sources that use it. */
public interface HaEngine extends AutoCloseable {

    EpochSource epochs();

    LeaderElection election(String source, String instanceId, ElectionListener listener);

    @Override
    void close();
}
