package dev.canalboot.kafka;

import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.source.SourceCounters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes the records of one consumer poll into model events, on decoding threads of the source's own: while they
 * decode, the container's thread fetches the next records and runs the listeners of the batch before. JSON parsing
 * and typing the values is most of a Kafka source's CPU, and the consumer's own work is small beside it, so one
 * thread that polls and dispatches keeps several decoding threads busy.
 * <p>
 * Flat messages are independent of each other: a poll's records are split into up to {@code threads} runs of
 * consecutive records, each decoded by a decoder of its own (the reader, converter and value converter keep state
 * and are not thread-safe), and the events are joined in record order. Protobuf messages are decoded in one run: a
 * partition's transaction state carries from message to message. With {@code threads} 0 the records are decoded on
 * the calling thread when the poll is {@link Pending#join() joined}.
 * <p>
 * Polls may be submitted while earlier ones decode: each decoder has a thread of its own that runs its work in the
 * order submitted, so a decoder (and each partition's protobuf state, always on the first) is used by one thread at a
 * time and in poll order; polls are joined in the order submitted.
 */
final class RecordDecoding implements AutoCloseable {

    /** Fewer records than this are not split further: a run's hand-over costs about as much as decoding them. */
    static final int MIN_RECORDS_PER_THREAD = 128;

    /** The offsets of one partition a poll held: {@code first} to {@code next - 1}. */
    record Range(long first, long next) {
    }

    /** The events of a decoded poll, or where its decoding failed. */
    record Decoded(List<ChangeEvent> events, @Nullable TopicPartition failedPartition, long failedOffset,
                   @Nullable IllegalArgumentException failure) {
    }

    private final String source;
    private final MessageFormat format;
    private final int threads;
    private final SourceCounters counters;
    private final Decoder[] decoders;
    /** Per partition: protobuf messages carry transaction state from one to the next. */
    private final Map<TopicPartition, ProtobufMessageConverter> protobufConverters = new HashMap<>();
    /** One per decoder, made on first use. */
    private ExecutorService @Nullable [] executors;

    RecordDecoding(KafkaSourceSettings settings, SourceCounters counters) {
        this.source = settings.name();
        this.format = settings.format();
        this.threads = settings.decodeThreads();
        this.counters = counters;
        this.decoders = new Decoder[Math.max(1, threads)];
        Set<String> warned = ConcurrentHashMap.newKeySet(); // one WARN per table shape, not per decoding thread
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = new Decoder(settings, warned);
        }
    }

    /** Starts decoding the poll's records (not empty); their offsets are known at once. */
    Pending submit(ConsumerRecords<byte[], ByteBuffer> records) {
        int count = records.count();
        List<ConsumerRecord<byte[], ByteBuffer>> all = new ArrayList<>(count);
        List<TopicPartition> partitions = new ArrayList<>(count);
        Map<TopicPartition, Range> ranges = new LinkedHashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], ByteBuffer>> partitionRecords = records.records(partition);
            for (ConsumerRecord<byte[], ByteBuffer> record : partitionRecords) {
                all.add(record);
                partitions.add(partition);
            }
            ranges.put(partition, new Range(partitionRecords.get(0).offset(),
                    partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
        }
        if (threads == 0) {
            return new Pending(ranges, List.of(), all, partitions); // decoded by join, on its thread
        }
        int runs = format == MessageFormat.PROTOBUF ? 1
                : Math.max(1, Math.min(decoders.length, count / MIN_RECORDS_PER_THREAD));
        List<Future<Decoded>> parts = new ArrayList<>(runs);
        for (int run = 0; run < runs; run++) {
            Decoder decoder = decoders[run];
            int from = (int) ((long) count * run / runs);
            int to = (int) ((long) count * (run + 1) / runs);
            parts.add(executor(run).submit(() -> decode(decoder, all, partitions, from, to)));
        }
        return new Pending(ranges, parts, all, partitions);
    }

    /**
     * The thread of decoder {@code index}: a decoder's runs follow each other in the order submitted. Made on first
     * use, so a protobuf source (one run a poll) has one.
     */
    private ExecutorService executor(int index) {
        ExecutorService[] current = executors;
        if (current == null) {
            current = new ExecutorService[decoders.length];
            executors = current;
        }
        if (current[index] == null) {
            String name = "canal-kafka-decode-" + source + "-" + (index + 1);
            current[index] = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
        }
        return current[index];
    }

    private Decoded decode(Decoder decoder, List<ConsumerRecord<byte[], ByteBuffer>> records,
                           List<TopicPartition> partitions, int from, int to) {
        List<ChangeEvent> events = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ConsumerRecord<byte[], ByteBuffer> record = records.get(i);
            ByteBuffer value = record.value();
            if (value == null) {
                counters.eventSkipped(); // a tombstone carries no change
                continue;
            }
            counters.bytesRead(value.remaining());
            try {
                decoder.convert(partitions.get(i), value, events);
            } catch (IllegalArgumentException e) {
                return new Decoded(events, partitions.get(i), record.offset(), e);
            }
        }
        return new Decoded(events, null, -1, null);
    }

    /** Forgets the protobuf transaction state of these partitions (all when {@code null}); none may be pending. */
    void forget(@Nullable Collection<TopicPartition> partitions) {
        if (partitions == null) {
            protobufConverters.clear();
        } else {
            protobufConverters.keySet().removeAll(partitions);
        }
    }

    /** The protobuf transaction state of a partition read again from an earlier offset starts afresh. */
    void reset(TopicPartition partition) {
        ProtobufMessageConverter converter = protobufConverters.get(partition);
        if (converter != null) {
            converter.reset();
        }
    }

    /** Stops the decoding threads (a restarted source makes new ones); nothing may be pending. */
    @Override
    public void close() {
        ExecutorService[] current = executors;
        executors = null;
        if (current != null) {
            for (ExecutorService executor : current) {
                if (executor != null) {
                    executor.shutdown();
                }
            }
        }
    }

    /** A poll being decoded. */
    final class Pending {

        private final Map<TopicPartition, Range> ranges;
        private final List<Future<Decoded>> parts;
        private final List<ConsumerRecord<byte[], ByteBuffer>> records;
        private final List<TopicPartition> partitions;

        private Pending(Map<TopicPartition, Range> ranges, List<Future<Decoded>> parts,
                        List<ConsumerRecord<byte[], ByteBuffer>> records, List<TopicPartition> partitions) {
            this.ranges = ranges;
            this.parts = parts;
            this.records = records;
            this.partitions = partitions;
        }

        /** The offsets of each partition the poll held, in the poll's partition order; the batch handed out owns it. */
        Map<TopicPartition, Range> ranges() {
            return ranges;
        }

        /**
         * Waits for the decoding and joins its runs in record order; the first failure ends the events there.
         *
         * @throws InterruptedException while waiting (the decoding goes on; {@link #discard()} waits for it)
         */
        Decoded join() throws InterruptedException {
            if (threads == 0) {
                return decode(decoders[0], records, partitions, 0, records.size());
            }
            List<ChangeEvent> events = null;
            for (Future<Decoded> part : parts) {
                Decoded decoded = result(part);
                if (events == null) {
                    events = decoded.events();
                } else {
                    events.addAll(decoded.events());
                }
                if (decoded.failure() != null) {
                    return new Decoded(events, decoded.failedPartition(), decoded.failedOffset(), decoded.failure());
                }
            }
            return new Decoded(events, null, -1, null);
        }

        /** Waits for the decoding to end and drops what it made (the records are read again). */
        void discard() {
            boolean interrupted = false;
            for (Future<Decoded> part : parts) {
                while (true) {
                    try {
                        part.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // a run takes milliseconds; its decoder must be free before the next
                    } catch (ExecutionException e) {
                        break;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private static Decoded result(Future<Decoded> part) throws InterruptedException {
            try {
                return part.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** What decodes records on one thread: the reader's buffers and shape cache, the last rows' column order. */
    private final class Decoder {

        private final CanalValueConverter values;
        private final FlatMessageReader flatReader;
        private final FlatMessageConverter flatConverter;

        Decoder(KafkaSourceSettings settings, Set<String> warned) {
            this.values = new CanalValueConverter(settings.serverZone(), settings.zeroDates());
            this.flatReader = new FlatMessageReader(settings.name(), warned);
            this.flatConverter = new FlatMessageConverter(settings.name(), values);
        }

        void convert(TopicPartition partition, ByteBuffer value, List<ChangeEvent> events) {
            if (format == MessageFormat.FLAT) {
                FlatRecord message = value.hasArray()
                        ? flatReader.read(value.array(), value.arrayOffset() + value.position(), value.remaining())
                        : flatReader.read(bytes(value));
                if (!flatConverter.convert(message, events)) {
                    counters.eventSkipped();
                }
            } else {
                int empty = protobufConverters
                        .computeIfAbsent(partition, p -> new ProtobufMessageConverter(source, values))
                        .convert(value, events);
                for (int i = 0; i < empty; i++) {
                    counters.eventSkipped();
                }
            }
        }

        private static byte[] bytes(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
    }
}
