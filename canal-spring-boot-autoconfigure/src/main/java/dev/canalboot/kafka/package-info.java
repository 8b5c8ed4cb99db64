/**
 * The Kafka source: Canal's MQ flat (JSON) and protobuf messages read with {@code kafka-clients}, offsets
 * committed per partition for acknowledged batches. API: {@link dev.canalboot.kafka.KafkaChangeSource}, {@link
 * dev.canalboot.kafka.KafkaSourceSettings} and {@link dev.canalboot.kafka.MessageFormat}; the rest may change in
 * any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.kafka;

import org.jspecify.annotations.NullMarked;
