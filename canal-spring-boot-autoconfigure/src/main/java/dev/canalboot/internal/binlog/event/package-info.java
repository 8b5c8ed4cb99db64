/**
 * Binlog events of MySQL 8.0 and MariaDB 11.4: one small decoder per event type, each reading a body
 * {@link io.netty.buffer.ByteBuf} (common header and checksum already stripped) into an immutable record.
 * {@link dev.canalboot.internal.binlog.decode.BinlogStreamDecoder} holds the state between events.
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.binlog.event;

import org.jspecify.annotations.NullMarked;
