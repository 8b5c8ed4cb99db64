/**
 * The listener container: one {@code SmartLifecycle} container per source ({@link
 * dev.canalboot.listener.container.CanalListenerContainer}) that polls, dispatches and acknowledges; error
 * handlers, retries ({@link dev.canalboot.listener.container.RetryPolicy}, {@link
 * dev.canalboot.listener.container.RetryClassifier}), listener concurrency and the observer seam for metrics
 * ({@link dev.canalboot.listener.container.ContainerObserver}). API: settings, error handlers, retry policies and
 * observers; the dispatch machinery may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.listener.container;

import org.jspecify.annotations.NullMarked;
