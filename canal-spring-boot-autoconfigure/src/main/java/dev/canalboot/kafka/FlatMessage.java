package dev.canalboot.kafka;

import java.util.List;
import java.util.Map;

/**
 * One Canal MQ flat message ({@code canal.mq.flatMessage=true}) as read from its JSON: the changes of one binlog
 * entry (one table, one event type) or one DDL statement.
 *
 * @param id        the Canal batch id the message came from
 * @param database  schema name
 * @param table     table name (empty or {@code null} for schema-level DDL)
 * @param pkNames   primary key column names ({@code null} for DDL or tables without a key)
 * @param isDdl     whether the message is a DDL statement
 * @param type      the Canal event type: {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code CREATE}, ...
 * @param es        commit (execute) time on the database, epoch millis
 * @param ts        when Canal built the message, epoch millis
 * @param sql       the statement text (DDL; empty for rows)
 * @param mysqlType column name → MySQL type text, in column order ({@code null} for DDL)
 * @param data      one map per row, column name → value text ({@code null} values are SQL NULL): the after image,
 *                  or the before image of a DELETE
 * @param old       UPDATE only: per row, the before values of the columns the update changed
 * @param gtid      the transaction's GTID, when the database has GTIDs on
 */
record FlatMessage(long id, String database, String table, List<String> pkNames, boolean isDdl, String type, long es,
                   long ts, String sql, Map<String, String> mysqlType, List<Map<String, String>> data,
                   List<Map<String, String>> old, String gtid) {
}
