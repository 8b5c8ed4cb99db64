package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The consumer {@code dev.canalboot.listener.ConcurrentCrashIT} kills with SIGKILL and starts again: one listener container per source
 * (the test runs one on MySQL and one on MariaDB in the same JVM, so each kill hits both), each with 8 workers
 * ordered by key over a binlog source with a file checkpoint store. The listener is slow on key 0 and fast on the
 * others, and appends {@code id v ;} per row to its source's delivery log before it returns (a write that returned
 * is in the page cache, which a killed process does not take with it); an UPDATE that changed the primary key
 * appends one line per key, old then new, in one write. Arguments: per source the ten values host port user
 * password serverId checkpointDir deliveryLog table startFile startPosition.
 */
public final class ConcurrentCrashConsumerMain {

    public static final long SLOW_KEY = 0;
    public static final long SLOW_NANOS = Duration.ofMillis(20).toNanos();
    public static final int WORKERS = 8;

    public static final int ARGS_PER_SOURCE = 10;

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args.length % ARGS_PER_SOURCE != 0) {
            throw new IllegalArgumentException("Expected groups of " + ARGS_PER_SOURCE + " arguments (host port user "
                    + "password serverId checkpointDir deliveryLog table startFile startPosition), got " + args.length);
        }
        List<CanalListenerContainer> containers = new ArrayList<>();
        for (int i = 0; i < args.length; i += ARGS_PER_SOURCE) {
            containers.add(container(Arrays.copyOfRange(args, i, i + ARGS_PER_SOURCE)));
        }
        containers.forEach(CanalListenerContainer::start);
        System.out.println("STARTED");
        while (true) {
            for (CanalListenerContainer container : containers) {
                if (container.getState() == ContainerState.FAILED) {
                    System.out.println("FAILED " + container.getSourceName() + " " + container.getLastError());
                    System.exit(1);
                }
            }
            Thread.sleep(100);
        }
    }

    private static CanalListenerContainer container(String[] args) throws IOException {
        BinlogSourceSettings settings = BinlogSourceSettings.builder("crash-" + args[4], args[0],
                        Integer.parseInt(args[1]), args[2], args[3])
                .serverId(Long.parseLong(args[4]))
                .tls(TlsSettings.DISABLED)
                .start(new StartPosition.FilePosition(args[8], Long.parseLong(args[9])))
                .batchSize(20)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 30)
                .build();
        FileCheckpointStore store = new FileCheckpointStore(Path.of(args[5]));
        String table = args[7];
        // Left open until the JVM ends (it is killed)
        FileChannel log = FileChannel.open(Path.of(args[6]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        write(log, "\nRUN\n");
        ListenerEndpoint endpoint = new ListenerEndpoint("items", "crash#items", List.of(TablePattern.parse(table)),
                Set.of(), "", new RowInvoker(log));
        return new CanalListenerContainer(new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH),
                List.of(endpoint), ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(200))
                .withConcurrency(new ListenerConcurrency(WORKERS, Ordering.KEY, 8)));
    }

    private static void write(FileChannel log, String text) {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (log) {
                while (buffer.hasRemaining()) {
                    log.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record RowInvoker(FileChannel log) implements EndpointInvoker {
        @Override
        public Kind kind() {
            return Kind.ROW;
        }

        @Override
        public void invoke(ChangeEvent event) {
            RowChange row = (RowChange) event;
            long id = row.row().getLong("id");
            Object v = row.row().get("v");
            long oldId = row.before() == null ? id : row.before().getLong("id");
            if (id == SLOW_KEY || oldId == SLOW_KEY) {
                LockSupport.parkNanos(SLOW_NANOS);
            }
            // A primary-key change belongs to both keys' sequences: one line each, in one write
            write(log, (oldId == id ? "" : oldId + " " + v + " ;\n") + id + " " + v + " ;\n");
        }

        @Override
        public void invokeBatch(List<RowChange> rows) {
            throw new UnsupportedOperationException();
        }
    }
}
