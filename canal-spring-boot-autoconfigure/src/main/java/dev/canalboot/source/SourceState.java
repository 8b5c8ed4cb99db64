package dev.canalboot.source;

/** Connection state of a source, as health and metrics report it. */
public enum SourceState {
    /** Not started yet, or paused. */
    IDLE,
    CONNECTING,
    CONNECTED,
    /** Lost the connection; reconnecting with back-off. */
    RECONNECTING,
    /** Stopped on an error that needs a person (see the source's last error). */
    FAILED,
    /** Closed on request. */
    STOPPED
}
