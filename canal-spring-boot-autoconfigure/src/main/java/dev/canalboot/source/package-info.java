/**
 * The source SPI and what every source shares. A listener container drives a
 * {@link dev.canalboot.source.ChangeSource} (start, poll, ack or rollback, close); each implementation keeps its
 * states, failure and restart in a {@link dev.canalboot.source.SourceLifecycle}, reconnects by one
 * {@link dev.canalboot.source.ReconnectPolicy} ({@link dev.canalboot.source.ReconnectPolicy#FOREVER} keeps trying),
 * counts in {@link dev.canalboot.source.SourceCounters} (its {@link dev.canalboot.source.SourceStatistics}) and
 * reports errors as {@link dev.canalboot.source.SourceException}s. Public API: applications may implement
 * {@code ChangeSource} and use these pieces. Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.source;

import org.jspecify.annotations.NullMarked;
