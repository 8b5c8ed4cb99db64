/**
 * What the binlog wire packages share with the binlog source: {@link
 * dev.canalboot.internal.binlog.BinlogDecodeException} and {@link dev.canalboot.internal.binlog.ColumnShape}.
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.binlog;

import org.jspecify.annotations.NullMarked;
