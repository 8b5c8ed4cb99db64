/**
 * TLS of a binlog connection: {@link dev.canalboot.binlog.tls.TlsMode} and {@link
 * dev.canalboot.binlog.tls.TlsSettings} (store files, or an SSL bundle's managers). API. Depends on nothing else
 * of the project, so that the internal protocol client can use it without a package cycle.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.binlog.tls;

import org.jspecify.annotations.NullMarked;
