/**
 * The relay: a binlog source's changes as Canal flat messages to Kafka (topics, Canal's partition hash, the
 * idempotent producer), as listener endpoints of the source's container. Configured by {@code relay.*}; the
 * classes are internal and may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.relay;

import org.jspecify.annotations.NullMarked;
