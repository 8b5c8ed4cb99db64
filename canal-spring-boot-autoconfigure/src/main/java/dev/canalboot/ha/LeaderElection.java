package dev.canalboot.ha;

/** One source's election on one engine; this instance takes part from {@link #start} until {@link #close}. */
interface LeaderElection extends AutoCloseable {

    void start();

    /** Gives up the leadership (when held) and takes part again as a candidate. */
    void yieldLeadership();

    /** The lease of this instance's leadership, renewed by the engine while it leads. */
    Lease lease();

    /** Where this election lives, for log lines and the endpoint. */
    String describe();

    @Override
    void close();
}
