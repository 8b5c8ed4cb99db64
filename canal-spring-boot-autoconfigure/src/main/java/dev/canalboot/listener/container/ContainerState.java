package dev.canalboot.listener.container;

/** Lifecycle of a listener container, as health and the actuator report it. */
public enum ContainerState {
    /** Created, not started (or stopped and restartable). */
    STOPPED,
    STARTING,
    RUNNING,
    /** Not polling: paused on request, resumes on {@code resume()}. */
    PAUSED,
    STOPPING,
    /** Stopped on an error; see {@code lastError()}. The failed batch was rolled back. */
    FAILED
}
