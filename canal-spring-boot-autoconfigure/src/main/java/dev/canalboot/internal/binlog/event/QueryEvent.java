package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.mysql.MysqlCharsets;
import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * QUERY_EVENT (and MariaDB's QUERY_COMPRESSED_EVENT): a statement, in row-based logging BEGIN, COMMIT or DDL.
 *
 * @param schema    the default schema of the statement, or {@code null}
 * @param sql       the statement text, decoded with the client character set it was sent in
 * @param errorCode the error the statement raised on the source (0 normally)
 */
public record QueryEvent(String schema, String sql, int errorCode) {

    // Status variable codes and the fixed sizes of those we step over (MySQL and MariaDB).
    private static final int Q_FLAGS2 = 0;
    private static final int Q_SQL_MODE = 1;
    private static final int Q_CATALOG = 2;
    private static final int Q_AUTO_INCREMENT = 3;
    private static final int Q_CHARSET = 4;
    private static final int Q_TIME_ZONE = 5;
    private static final int Q_CATALOG_NZ = 6;
    private static final int Q_LC_TIME_NAMES = 7;
    private static final int Q_CHARSET_DATABASE = 8;
    private static final int Q_TABLE_MAP_FOR_UPDATE = 9;
    private static final int Q_MASTER_DATA_WRITTEN = 10;
    private static final int Q_INVOKER = 11;
    private static final int Q_UPDATED_DB_NAMES = 12;
    private static final int Q_MICROSECONDS = 13;
    private static final int Q_COMMIT_TS = 14;
    private static final int Q_COMMIT_TS2 = 15;
    private static final int Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP = 16;
    private static final int Q_DDL_LOGGED_WITH_XID = 17;
    private static final int Q_DEFAULT_COLLATION_FOR_UTF8MB4 = 18;
    private static final int Q_SQL_REQUIRE_PRIMARY_KEY = 19;
    private static final int Q_DEFAULT_TABLE_ENCRYPTION = 20;
    private static final int MARIADB_Q_HRNOW = 128;
    private static final int MARIADB_Q_XID = 129;
    private static final int MARIADB_Q_GTID_FLAGS3 = 130;
    private static final int OVER_MAX_DBS_IN_EVENT_MTS = 254;

    public static QueryEvent decode(ByteBuf body, int postHeaderLength, boolean compressed) {
        int start = body.readerIndex();
        body.skipBytes(8); // thread id, execution time
        int schemaLength = body.readUnsignedByte();
        int errorCode = body.readUnsignedShortLE();
        int statusLength = postHeaderLength >= 13 ? body.readUnsignedShortLE() : 0;
        body.readerIndex(start + postHeaderLength);
        ByteBuf status = body.readSlice(WireReads.checkLength(statusLength, body, "query status variables"));
        Charset charset = clientCharset(status);
        String schema = WireReads.readString(body, schemaLength, StandardCharsets.UTF_8, "query schema");
        body.skipBytes(1); // NUL after the schema name
        String sql;
        if (compressed) {
            sql = new String(Compression.inflateMariaDb(body), charset);
        } else {
            sql = body.toString(charset);
            body.skipBytes(body.readableBytes());
        }
        return new QueryEvent(schemaLength == 0 ? null : schema, sql, errorCode);
    }

    /** The client character set from Q_CHARSET_CODE; UTF-8 when absent or after an unknown variable. */
    private static Charset clientCharset(ByteBuf status) {
        while (status.isReadable()) {
            int code = status.readUnsignedByte();
            switch (code) {
                case Q_FLAGS2, Q_AUTO_INCREMENT, Q_MASTER_DATA_WRITTEN -> status.skipBytes(4);
                case Q_SQL_MODE, Q_TABLE_MAP_FOR_UPDATE, Q_DDL_LOGGED_WITH_XID, MARIADB_Q_XID -> status.skipBytes(8);
                case Q_CATALOG -> status.skipBytes(status.readUnsignedByte() + 1);
                case Q_CHARSET -> {
                    int clientCollation = status.readUnsignedShortLE();
                    status.skipBytes(4);
                    Charset charset = MysqlCharsets.forCollation(clientCollation);
                    return charset == null ? StandardCharsets.UTF_8 : charset;
                }
                case Q_TIME_ZONE, Q_CATALOG_NZ -> status.skipBytes(status.readUnsignedByte());
                case Q_LC_TIME_NAMES, Q_CHARSET_DATABASE, Q_DEFAULT_COLLATION_FOR_UTF8MB4 -> status.skipBytes(2);
                case Q_INVOKER -> {
                    status.skipBytes(status.readUnsignedByte());
                    status.skipBytes(status.readUnsignedByte());
                }
                case Q_UPDATED_DB_NAMES -> {
                    int count = status.readUnsignedByte();
                    if (count != OVER_MAX_DBS_IN_EVENT_MTS) {
                        for (int i = 0; i < count; i++) {
                            int end = status.indexOf(status.readerIndex(), status.writerIndex(), (byte) 0);
                            if (end < 0) {
                                throw new BinlogDecodeException("unterminated schema name in query status");
                            }
                            status.readerIndex(end + 1);
                        }
                    }
                }
                case Q_MICROSECONDS, MARIADB_Q_HRNOW -> status.skipBytes(3);
                case Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP, Q_SQL_REQUIRE_PRIMARY_KEY, Q_DEFAULT_TABLE_ENCRYPTION,
                     MARIADB_Q_GTID_FLAGS3 -> status.skipBytes(1);
                default -> {
                    // Sizes of later variables are unknown; the charset variable comes early when present.
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
