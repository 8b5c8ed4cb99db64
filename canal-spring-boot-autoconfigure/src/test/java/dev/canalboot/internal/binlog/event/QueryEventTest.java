package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * QUERY_EVENT bodies laid out from the replication protocol description: post-header (thread id, execution time,
 * schema length, error code, status variables length), status variables, schema, NUL, statement.
 */
class QueryEventTest {

    private static final Charset GBK = Charset.forName("GBK");
    /** Q_CHARSET_CODE with client collation 28 (gbk_chinese_ci), connection and server collation 8. */
    private static final int[] GBK_CHARSET = {4, 28, 0, 8, 0, 8, 0};

    private static ByteBuf status(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int v : bytes) {
            b.writeByte(v);
        }
        return b;
    }

    private static ByteBuf body(String schema, int errorCode, ByteBuf status, byte[] sql) {
        byte[] schemaBytes = schema.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(7).writeIntLE(0).writeByte(schemaBytes.length).writeShortLE(errorCode)
                .writeShortLE(status.readableBytes());
        b.writeBytes(status).writeBytes(schemaBytes).writeByte(0).writeBytes(sql);
        return b;
    }

    @Test
    void schemaStatementAndErrorCode() {
        ByteBuf body = body("shop", 1062, status(), "INSERT INTO t VALUES (1)".getBytes(StandardCharsets.UTF_8));
        QueryEvent event = QueryEvent.decode(body, 13, false);
        assertThat(event).isEqualTo(new QueryEvent("shop", "INSERT INTO t VALUES (1)", 1062));
        assertThat(body.isReadable()).isFalse();
    }

    @Test
    void noDefaultSchemaIsNull() {
        QueryEvent event = QueryEvent.decode(body("", 0, status(), "BEGIN".getBytes(StandardCharsets.UTF_8)), 13,
                false);
        assertThat(event.schema()).isNull();
        assertThat(event.sql()).isEqualTo("BEGIN");
    }

    @Test
    void theStatementIsDecodedInTheClientCharsetAfterTheVariablesBeforeIt() {
        byte[] sql = "ALTER TABLE t COMMENT '中文'".getBytes(GBK);
        ByteBuf vars = status(0, 0, 0, 0, 0); // Q_FLAGS2
        vars.writeByte(1).writeLongLE(0); // Q_SQL_MODE
        vars.writeByte(6).writeByte(3).writeBytes("std".getBytes(StandardCharsets.US_ASCII)); // Q_CATALOG_NZ
        vars.writeByte(5).writeByte(3).writeBytes("UTC".getBytes(StandardCharsets.US_ASCII)); // Q_TIME_ZONE
        vars.writeByte(11).writeByte(4).writeBytes("root".getBytes(StandardCharsets.US_ASCII))
                .writeByte(9).writeBytes("localhost".getBytes(StandardCharsets.US_ASCII)); // Q_INVOKER
        vars.writeByte(12).writeByte(2).writeBytes("a\0bb\0".getBytes(StandardCharsets.US_ASCII)); // Q_UPDATED_DB_NAMES
        vars.writeByte(13).writeMediumLE(5); // Q_MICROSECONDS
        vars.writeByte(16).writeByte(1); // Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP
        vars.writeBytes(status(GBK_CHARSET));
        assertThat(QueryEvent.decode(body("shop", 0, vars, sql), 13, false).sql())
                .isEqualTo("ALTER TABLE t COMMENT '中文'");
    }

    @Test
    void tooManyUpdatedSchemasCarryNoNames() {
        ByteBuf vars = status(12, 254);
        vars.writeBytes(status(GBK_CHARSET));
        assertThat(QueryEvent.decode(body("s", 0, vars, "中".getBytes(GBK)), 13, false).sql()).isEqualTo("中");
    }

    @Test
    void withoutTheCharsetVariableOrAfterAnUnknownOneTheStatementIsUtf8() {
        byte[] utf8 = "DROP TABLE `naïve`".getBytes(StandardCharsets.UTF_8);
        assertThat(QueryEvent.decode(body("s", 0, status(0, 0, 0, 0, 0), utf8), 13, false).sql())
                .isEqualTo("DROP TABLE `naïve`");
        ByteBuf unknownFirst = status(99, 1, 2);
        unknownFirst.writeBytes(status(GBK_CHARSET));
        assertThat(QueryEvent.decode(body("s", 0, unknownFirst, utf8), 13, false).sql())
                .isEqualTo("DROP TABLE `naïve`");
    }

    @Test
    void anUnterminatedUpdatedSchemaNameIsADecodeError() {
        ByteBuf vars = status(12, 1, 'a', 'b');
        assertThatThrownBy(() -> QueryEvent.decode(body("s", 0, vars, new byte[0]), 13, false))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("unterminated schema name in query status");
    }

    @Test
    void aStatusLengthBeyondTheEventIsADecodeError() {
        ByteBuf body = Unpooled.buffer().writeIntLE(1).writeIntLE(0).writeByte(0).writeShortLE(0).writeShortLE(500)
                .writeByte(0).writeBytes("x".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueryEvent.decode(body, 13, false)).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("query status variables length 500 exceeds the 2 bytes left");
    }

    @Test
    void aLongerPostHeaderIsSkippedAndAShorterOneHasNoStatusVariables() {
        ByteBuf longer = Unpooled.buffer().writeIntLE(1).writeIntLE(0).writeByte(1).writeShortLE(0).writeShortLE(0)
                .writeShortLE(0xffff) // 2 bytes a later server may add to the post-header
                .writeByte('s').writeByte(0).writeBytes("COMMIT".getBytes(StandardCharsets.UTF_8));
        assertThat(QueryEvent.decode(longer, 15, false)).isEqualTo(new QueryEvent("s", "COMMIT", 0));
        ByteBuf old = Unpooled.buffer().writeIntLE(1).writeIntLE(0).writeByte(1).writeShortLE(0)
                .writeByte('s').writeByte(0).writeBytes("COMMIT".getBytes(StandardCharsets.UTF_8));
        assertThat(QueryEvent.decode(old, 11, false)).isEqualTo(new QueryEvent("s", "COMMIT", 0));
    }

    @Test
    void mariaDbCompressedStatementsAreInflated() {
        byte[] sql = ("CREATE TABLE t (" + "c INT, ".repeat(50) + "id INT PRIMARY KEY)").getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater();
        deflater.setInput(sql);
        deflater.finish();
        byte[] compressed = new byte[sql.length + 64];
        int n = deflater.deflate(compressed);
        deflater.end();
        // header: top bit set, 2 length bytes (big-endian uncompressed length), then zlib data
        ByteBuf record = Unpooled.buffer().writeByte(0x80 | 2).writeShort(sql.length).writeBytes(compressed, 0, n);
        byte[] recordBytes = new byte[record.readableBytes()];
        record.readBytes(recordBytes);
        QueryEvent event = QueryEvent.decode(body("db", 0, status(), recordBytes), 13, true);
        assertThat(event.sql()).isEqualTo(new String(sql, StandardCharsets.UTF_8));
        assertThat(event.schema()).isEqualTo("db");
    }
}
