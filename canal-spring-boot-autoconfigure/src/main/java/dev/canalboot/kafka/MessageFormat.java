package dev.canalboot.kafka;

/** How a Canal server in MQ mode serializes its messages into Kafka records. */
public enum MessageFormat {
    /** JSON flat messages: {@code canal.mq.flatMessage=true} (Canal's default). */
    FLAT,
    /** Serialized protobuf {@code Message}s (a Canal {@code Packet} of entries): {@code canal.mq.flatMessage=false}. */
    PROTOBUF
}
