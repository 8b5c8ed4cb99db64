package dev.canalboot.readme;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** README snippet, compiled: the RowChange and Row API (Reading a RowChange). ReadmeSnippetsTest checks the README still shows these lines. */
class RowChangeSnippet {

    @CanalListener(table = "shop.orders")
    void onChange(RowChange change) {
        Row row = change.row();                              // after image; the before image of a DELETE
        Long id = row.getLong("id");                         // BIGINT -> Long (see Column types)
        BigDecimal amount = row.get("amount", BigDecimal.class);
        Map<String, Object> values = row.toMap();            // {id=1, customer=ada, amount=12.50, ...}
        if (change.type() == ChangeType.UPDATE) {
            Row before = change.before();                    // the complete row before the update
            List<String> changed = change.changedColumns();  // e.g. [amount]
        }
        SourcePosition position = change.position();         // file, offset, GTID: binlog.000003:1234 [uuid:42]
    }
}
