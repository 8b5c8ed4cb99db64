/**
 * The {@code @CanalListener} programming model.
 * <p>
 * {@link dev.canalboot.listener.CanalListenerAnnotationBeanPostProcessor} finds annotated methods and
 * {@link dev.canalboot.listener.RowHandler} beans and checks them at start-up (errors are
 * {@link dev.canalboot.listener.ListenerDeclarationException}s naming the method). The
 * {@link dev.canalboot.listener.CanalListenerEndpointRegistry} routes each
 * {@link dev.canalboot.listener.container.ListenerEndpoint} to its {@code ChangeSource} and runs one
 * {@link dev.canalboot.listener.container.CanalListenerContainer} per source: poll a batch, deliver its events
 * in order to the listeners that match, acknowledge it when all returned; failed deliveries are retried per
 * {@link dev.canalboot.listener.container.RetryPolicy} (unless the
 * {@link dev.canalboot.listener.container.RetryClassifier} says the exception is not worth it), then a
 * {@link dev.canalboot.listener.container.ListenerErrorHandler} decides (by default: stop and roll back).
 * With {@link dev.canalboot.listener.container.ListenerConcurrency} above one worker, rows are handled by that many
 * workers in per-key (or per-table) order and batches are acknowledged in order once done in full.
 * {@link dev.canalboot.listener.EnableCanalListeners} or {@link dev.canalboot.listener.CanalListenerConfiguration}
 * switches it on; a {@link dev.canalboot.listener.container.ContainerSettings} bean configures the containers.
 * How a listener is called (parameter binding, {@link dev.canalboot.listener.MethodEndpointInvoker},
 * {@link dev.canalboot.listener.RowHandlerEndpointInvoker}, row to POJO mapping,
 * {@link dev.canalboot.listener.PojoRowMapper}) lives here too: it reads the annotations.
 * API: applications use the annotations, {@code RowHandler} and the registry; the bean post-processor and the
 * endpoint plumbing are configured, not called; the invokers and the POJO mapper are internal and may change in any
 * release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.listener;

import org.jspecify.annotations.NullMarked;
