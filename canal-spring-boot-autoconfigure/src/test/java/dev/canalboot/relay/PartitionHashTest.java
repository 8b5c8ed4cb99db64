package dev.canalboot.relay;

import com.alibaba.otter.canal.connector.core.producer.MQMessageUtils;
import com.alibaba.otter.canal.protocol.FlatMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's partition of each row equals the one Canal 1.1.7's own MQ code chooses (connector.core's
 * {@code MQMessageUtils.messagePartition}, the oracle) for the same flat message and partition-hash rules.
 */
class PartitionHashTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3 | .*\\..*:$pk$ | true",
            "7 | .*\\..*:$pk$ | false",
            "5 | shop\\.orders:customer^id | true",
            "4 | shop\\..* | true",
            "6 | other\\..*:$pk$ | true",
            "8 | shop\\.ORDERS:$pk$,.*\\..* | true"})
    void everyRowGoesWhereCanalSendsIt(int partitions, String rules, boolean databaseHash) {
        Random random = new Random(partitions * 31L + rules.hashCode());
        PartitionHash ours = new PartitionHash(partitions, List.of(rules.split(",")), databaseHash);
        for (int message = 0; message < 200; message++) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (int r = 0; r < 1 + random.nextInt(6); r++) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("id", random.nextInt(10) == 0 ? null : Long.toString(random.nextLong()));
                row.put("customer", "c" + random.nextInt(1000));
                row.put("note", "n" + random.nextInt());
                rows.add(row);
            }
            FlatMessage canal = new FlatMessage(message);
            canal.setDatabase("shop");
            canal.setTable("orders");
            canal.setIsDdl(false);
            canal.setType("INSERT");
            canal.setPkNames(List.of("id"));
            canal.setData(rows);
            FlatMessage[] split = MQMessageUtils.messagePartition(canal, partitions, rules, databaseHash);
            Map<Map<String, String>, Integer> canalPartition = new java.util.IdentityHashMap<>();
            for (int p = 0; p < split.length; p++) {
                if (split[p] != null) {
                    for (Map<String, String> row : split[p].getData()) {
                        canalPartition.put(row, p);
                    }
                }
            }
            for (Map<String, String> row : rows) {
                assertThat(ours.partition("shop", "orders", List.of("id"), row))
                        .as("partition of %s with %s", row, rules).isEqualTo(canalPartition.get(row));
            }
            // A table without primary key: Canal's pkNames is null.
            canal.setPkNames(null);
            split = MQMessageUtils.messagePartition(canal, partitions, rules, databaseHash);
            canalPartition.clear();
            for (int p = 0; p < split.length; p++) {
                if (split[p] != null) {
                    for (Map<String, String> row : split[p].getData()) {
                        canalPartition.put(row, p);
                    }
                }
            }
            for (Map<String, String> row : rows) {
                assertThat(ours.partition("shop", "orders", null, row))
                        .as("partition of %s without key with %s", row, rules).isEqualTo(canalPartition.get(row));
            }
        }
    }
}
