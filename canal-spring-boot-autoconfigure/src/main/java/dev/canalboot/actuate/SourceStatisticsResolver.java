package dev.canalboot.actuate;

import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceStatistics;

/**
 * Finds the {@link SourceStatistics} of a source type that does not implement it itself. Beans of this
 * type are asked in order; the first non-null answer wins.
 */
@FunctionalInterface
public interface SourceStatisticsResolver {

    /** The statistics of {@code source}, or {@code null} if this resolver does not know its type. */
    SourceStatistics resolve(ChangeSource source);
}
