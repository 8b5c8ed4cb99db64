package dev.canalboot.ha;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A source's leadership term: the fencing token every checkpoint write of the leader carries, who holds it and
 * since when.
 *
 * @param value   grows by one with every new leader of the source
 * @param holder  instance id of the leader that claimed it
 * @param claimed when it was claimed (the election engine's clock), or {@code null} when unknown
 */
public record Epoch(long value, String holder, @Nullable Instant claimed) {
}
