/**
 * The binlog source: {@link dev.canalboot.binlog.BinlogChangeSource} replicates from MySQL or MariaDB as a replica
 * (the consumer's half: queue, positions, acknowledgements, checkpoints) over a {@code ReplicaSession} (one
 * replication connection on its event loop). API: {@code BinlogChangeSource}, {@link
 * dev.canalboot.binlog.BinlogSourceSettings}, {@link dev.canalboot.binlog.StartPosition} and {@link
 * dev.canalboot.binlog.RowDecoding}; the other classes are public only for sibling packages and may change in any
 * release. The stream decoder lives in {@code dev.canalboot.internal.binlog.decode}, the wire-level decoding below it
 * in {@code dev.canalboot.internal.binlog}.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.binlog;

import org.jspecify.annotations.NullMarked;
