/**
 * Column values of row images. {@link dev.canalboot.internal.binlog.value.TableDecoder} is built once per table map
 * and holds one {@link dev.canalboot.internal.binlog.value.ColumnDecoder} per column, so that rows decode from a byte
 * array ({@link dev.canalboot.internal.binlog.value.ByteReader}) without per-value type lookups. Java types follow
 * {@link dev.canalboot.model.ColumnType#javaType(dev.canalboot.model.Column)}.
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.binlog.value;

import org.jspecify.annotations.NullMarked;
