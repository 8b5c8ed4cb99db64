/**
 * The binlog stream decoder: {@link dev.canalboot.internal.binlog.decode.BinlogStreamDecoder} turns the events of a
 * replication stream or a binlog file into the change model (checksums, transaction payloads, table maps, DDL) with
 * the event and value decoders below it; {@link dev.canalboot.internal.binlog.decode.RowImages} are row images
 * decoded on either thread (see {@link dev.canalboot.binlog.RowDecoding}).
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.binlog.decode;

import org.jspecify.annotations.NullMarked;
