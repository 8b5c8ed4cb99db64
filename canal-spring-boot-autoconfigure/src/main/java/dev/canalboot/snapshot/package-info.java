/**
 * Snapshots of existing rows for the binlog source: key-ordered chunks read between binlog watermarks and merged
 * into the stream, progress saved with the checkpoint. API: {@link dev.canalboot.snapshot.SnapshotMode} and {@link
 * dev.canalboot.snapshot.SnapshotStatus}; the rest may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.snapshot;

import org.jspecify.annotations.NullMarked;
