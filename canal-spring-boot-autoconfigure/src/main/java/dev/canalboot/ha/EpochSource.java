package dev.canalboot.ha;

import java.util.Optional;

/** Hands out the epochs of sources' leaders, in the election engine's own storage. */
public interface EpochSource {

    /** Raises the source's epoch by one for {@code holder}, the newly elected leader; returns it. */
    Epoch next(String source, String holder);

    /** The source's last claimed epoch (its current or last leader), or empty when none was claimed. */
    Optional<Epoch> current(String source);
}
