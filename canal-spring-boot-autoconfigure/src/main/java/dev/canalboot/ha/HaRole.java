package dev.canalboot.ha;

/** What this instance does with a source under high availability. */
public enum HaRole {

    /** It holds the source's leadership: its container reads and delivers. */
    LEADER,

    /** Another instance reads the source (or none yet); this one waits to take over. */
    STANDBY
}
