/**
 * Where a binlog source resumes: the {@link dev.canalboot.checkpoint.CheckpointStore} SPI, the file (default) and
 * JDBC stores, and {@link dev.canalboot.checkpoint.FencedCheckpointStore} (writes carrying a leader's epoch). API:
 * applications may use these stores or implement their own.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.checkpoint;

import org.jspecify.annotations.NullMarked;
