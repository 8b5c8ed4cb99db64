package dev.canalboot.canal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * One Canal flat message as a Canal 1.1.7 server writes it to Kafka ({@code canal.mq.flatMessage=true}): the
 * rows of one binlog rows event of one table (or one DDL), values as text. Field names, nulls written as
 * {@code null}, fields in name order: as Canal's JSON. The relay writes it; the Kafka source reads it (without
 * {@code sqlType}, which it does not need: {@code null} there).
 *
 * @param id        the relayed batch's id
 * @param database  schema name
 * @param table     table name ({@code null} for a DDL on no table)
 * @param pkNames   primary-key columns ({@code null} for DDL)
 * @param isDdl     whether this is a DDL message
 * @param type      {@code INSERT}, {@code UPDATE}, {@code DELETE}, or the DDL's kind ({@code CREATE}, {@code ALTER}, ...)
 * @param es        commit time on the server, epoch millis
 * @param ts        time the message was built, epoch millis
 * @param sql       the DDL statement; empty for rows
 * @param sqlType   column name → {@link java.sql.Types} code
 * @param mysqlType column name → MySQL column type text
 * @param data      rows: column name → value text (the after image; a DELETE's before image)
 * @param old       UPDATE only: per row, the changed columns' values before
 * @param gtid      the transaction's GTID, or {@code null}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = true)
public record FlatMessage(
        @JsonProperty("id") long id,
        @JsonProperty("database") String database,
        @JsonProperty("table") @Nullable String table,
        @JsonProperty("pkNames") @Nullable List<String> pkNames,
        @JsonProperty("isDdl") boolean isDdl,
        @JsonProperty("type") String type,
        @JsonProperty("es") long es,
        @JsonProperty("ts") long ts,
        @JsonProperty("sql") String sql,
        @JsonProperty("sqlType") @Nullable Map<String, Integer> sqlType,
        @JsonProperty("mysqlType") @Nullable Map<String, String> mysqlType,
        @JsonProperty("data") @Nullable List<Map<String, String>> data,
        @JsonProperty("old") @Nullable List<Map<String, String>> old,
        @JsonProperty("gtid") @Nullable String gtid) {
}
