/**
 * The MySQL client/server protocol on Netty: packet framing, the handshake, auth plugins, TLS contexts, text
 * queries, GTID sets and the dump commands ({@link dev.canalboot.internal.binlog.protocol.MySqlConnection}).
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.binlog.protocol;

import org.jspecify.annotations.NullMarked;
