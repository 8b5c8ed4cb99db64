package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.source.ChangeSource;

/**
 * Creates the {@link ChangeSource} of one configured source of a given {@link SourceType}. The
 * auto-configuration registers one factory per type whose implementation is on the class path; the
 * properties it receives are already {@linkplain SourcePropertiesValidator validated}.
 */
public interface ChangeSourceFactory {

    SourceType type();

    /**
     * @param name       the source's configured name
     * @param source     its properties
     * @param properties the whole {@code canal.*} configuration (checkpoints, zero dates)
     */
    ChangeSource create(String name, SourceProperties source, CanalProperties properties);
}
