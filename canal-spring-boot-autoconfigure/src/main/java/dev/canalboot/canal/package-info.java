/**
 * The Canal source: a client of a Canal server (Canal 1.1.x protocol) as a
 * {@link dev.canalboot.canal.CanalChangeSource}, in two halves like the binlog source:
 * {@link dev.canalboot.canal.CanalFetchLoop} keeps the connection, the fetch-ahead and the reconnect on one Netty
 * event loop; {@code CanalChangeSource} converts what was fetched on the listener container's thread
 * ({@link dev.canalboot.canal.CanalEntryConverter}, {@link dev.canalboot.canal.CanalValueConverter}). An
 * {@link dev.canalboot.canal.UpstreamWatch} tells a Canal server that stopped reading from an idle one. With Canal
 * servers in cluster mode, {@link dev.canalboot.canal.ZooKeeperServerRegistry} reads which one runs the destination
 * from Canal's ZooKeeper registry and tells the fetch loop when that changes.
 * Applications use {@code CanalChangeSource} and {@link dev.canalboot.canal.CanalSettings}; the rest is internal.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.canal;

import org.jspecify.annotations.NullMarked;
