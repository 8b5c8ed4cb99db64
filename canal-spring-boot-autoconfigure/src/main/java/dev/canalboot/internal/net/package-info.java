/**
 * The one TCP client bootstrap both protocol clients use ({@link dev.canalboot.internal.net.TcpClients}).
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.net;

import org.jspecify.annotations.NullMarked;
