package dev.canalboot.relay;

import dev.canalboot.canal.FlatMessage;
import dev.canalboot.kafka.MessageFormat;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import tools.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * How the relay writes one Kafka record: Canal's flat JSON message, or Canal's protobuf packet
 * ({@code canal.mq.flatMessage=false}). Each call gets the flat message (which the relay builds anyway: the partition
 * hash works on its text values) and the model events it was built from.
 */
interface RelayEncoding {

    byte[] rows(long batchId, FlatMessage message, List<RowChange> rows);

    byte[] ddl(long batchId, FlatMessage message, SchemaChange ddl);

    static RelayEncoding of(MessageFormat format, ObjectMapper json, CanalColumnText text) {
        return switch (format) {
            case FLAT -> flat(json);
            case PROTOBUF -> protobuf(new CanalEntries(text));
        };
    }

    static RelayEncoding flat(ObjectMapper json) {
        return new RelayEncoding() {
            @Override
            public byte[] rows(long batchId, FlatMessage message, List<RowChange> rows) {
                return json.writeValueAsBytes(message);
            }

            @Override
            public byte[] ddl(long batchId, FlatMessage message, SchemaChange ddl) {
                return json.writeValueAsBytes(message);
            }
        };
    }

    static RelayEncoding protobuf(CanalEntries entries) {
        return new RelayEncoding() {
            @Override
            public byte[] rows(long batchId, FlatMessage message, List<RowChange> rows) {
                return CanalEntries.packet(batchId, List.of(entries.rows(rows)));
            }

            @Override
            public byte[] ddl(long batchId, FlatMessage message, SchemaChange ddl) {
                return CanalEntries.packet(batchId, List.of(entries.ddl(ddl, message.database(), message.table(),
                        message.type())));
            }
        };
    }
}
