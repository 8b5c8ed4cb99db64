/**
 * The listener container: one {@code SmartLifecycle} container per source ({@link
 * dev.canalboot.listener.container.CanalListenerContainer}) that polls, dispatches and acknowledges; error
 * handlers, retries ({@link dev.canalboot.listener.container.RetryPolicy}, {@link
 * dev.canalboot.listener.container.RetryClassifier}), listener concurrency and the observer seam for metrics
 * ({@link dev.canalboot.listener.container.ContainerObserver}); what it delivers to: each
 * {@link dev.canalboot.listener.container.ListenerEndpoint} (its {@link dev.canalboot.listener.container.TablePattern}s
 * and {@link dev.canalboot.listener.container.EndpointInvoker}). It knows nothing of the {@code @CanalListener}
 * annotations: {@code dev.canalboot.listener} builds the endpoints and depends on this package, never the other way.
 * API: settings, error handlers, retry policies, observers and endpoints; the dispatch machinery may change in any
 * release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.listener.container;

import org.jspecify.annotations.NullMarked;
