package dev.canalboot.bench.contender;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import dev.canalboot.bench.measure.Sink;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Contender 3: {@code mysql-binlog-connector-java} with its default deserializer, or with the compatibility modes
 * that skip the most conversion work (dates and times as longs, CHAR/BINARY as raw bytes). The listener touches
 * every value of every row (both images of an update).
 */
public final class ZendeskContender implements Contender {

    private final boolean fastMode;

    public ZendeskContender(boolean fastMode) {
        this.fastMode = fastMode;
    }

    @Override
    public String id() {
        return fastMode ? "3-fast" : "3-default";
    }

    @Override
    public String description() {
        return "mysql-binlog-connector-java 0.30.1, " + (fastMode
                ? "DATE_AND_TIME_AS_LONG + CHAR_AND_BINARY_AS_BYTE_ARRAY" : "default deserializer")
                + ", listener touches every value";
    }

    @Override
    public void run(RunContext context) throws Exception {
        BinaryLogClient client = new BinaryLogClient(context.server().host(), context.server().port(),
                context.server().user(), context.server().password());
        client.setServerId(context.replicaServerId());
        client.setBinlogFilename(context.binlog().start().file());
        client.setBinlogPosition(context.binlog().start().position());
        client.setKeepAlive(false);
        client.setSSLMode(SSLMode.DISABLED);
        EventDeserializer deserializer = new EventDeserializer();
        if (fastMode) {
            deserializer.setCompatibilityMode(CompatibilityMode.DATE_AND_TIME_AS_LONG,
                    CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        }
        client.setEventDeserializer(deserializer);
        client.registerEventListener(new Listener(context));
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception e) {
                context.fail(new IllegalStateException(id() + " could not deserialize an event: " + e, e));
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception e) {
                context.fail(new IllegalStateException(id() + " lost the connection: " + e, e));
            }
        });
        client.connect(30_000);
        try {
            context.awaitDone();
        } finally {
            client.disconnect();
        }
    }

    /** Counts rows of the workload table, recognised by the table id of the TABLE_MAP that named it. */
    private static final class Listener implements BinaryLogClient.EventListener {

        private final RunContext context;
        /** The id the server gave the workload table (-1 until its TABLE_MAP came). */
        private long tableId = -1;
        private final Sink sink = new Sink();

        Listener(RunContext context) {
            this.context = context;
        }

        @Override
        public void onEvent(Event event) {
            EventData data = event.getData();
            if (data instanceof TableMapEventData map) {
                if (map.getDatabase().equals(context.schema()) && map.getTable().equals(context.table())) {
                    tableId = map.getTableId();
                }
            } else if (data instanceof WriteRowsEventData write) {
                if (write.getTableId() == tableId) {
                    touch(write.getRows());
                    context.delivered(write.getRows().size());
                }
            } else if (data instanceof UpdateRowsEventData update) {
                if (update.getTableId() == tableId) {
                    for (Map.Entry<Serializable[], Serializable[]> row : update.getRows()) {
                        touch(row.getKey());
                        touch(row.getValue());
                    }
                    context.delivered(update.getRows().size());
                }
            } else if (data instanceof DeleteRowsEventData delete) {
                if (delete.getTableId() == tableId) {
                    touch(delete.getRows());
                    context.delivered(delete.getRows().size());
                }
            }
        }

        private void touch(List<Serializable[]> rows) {
            for (Serializable[] row : rows) {
                touch(row);
            }
        }

        private void touch(Serializable[] row) {
            for (Serializable value : row) {
                sink.consume(value);
            }
        }
    }
}
