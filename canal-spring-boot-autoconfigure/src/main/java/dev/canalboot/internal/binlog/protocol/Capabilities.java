package dev.canalboot.internal.binlog.protocol;

/** Capability flags of the handshake (MySQL client/server protocol). */
public final class Capabilities {

    public static final long LONG_PASSWORD = 1;
    public static final long FOUND_ROWS = 1 << 1;
    public static final long LONG_FLAG = 1 << 2;
    public static final long CONNECT_WITH_DB = 1 << 3;
    public static final long PROTOCOL_41 = 1 << 9;
    public static final long SSL = 1 << 11;
    public static final long TRANSACTIONS = 1 << 13;
    public static final long SECURE_CONNECTION = 1 << 15;
    public static final long MULTI_STATEMENTS = 1 << 16;
    public static final long MULTI_RESULTS = 1 << 17;
    public static final long PLUGIN_AUTH = 1 << 19;
    public static final long CONNECT_ATTRS = 1 << 20;
    public static final long PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    public static final long DEPRECATE_EOF = 1 << 24;

    /** MariaDB: set by MySQL servers; a MariaDB server clears it and sends extended capabilities. */
    public static final long CLIENT_MYSQL = LONG_PASSWORD;
    /** MariaDB extended capabilities live in bits 32..63 here. */
    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    public static final long MARIADB_CLIENT_EXTENDED_METADATA = 1L << 35;

    /** What this client asks for when the server offers it (SSL and CONNECT_WITH_DB are added as configured). */
    public static final long CLIENT_WANTS = LONG_PASSWORD | LONG_FLAG | PROTOCOL_41 | TRANSACTIONS
            | SECURE_CONNECTION | MULTI_RESULTS | PLUGIN_AUTH | CONNECT_ATTRS | PLUGIN_AUTH_LENENC_CLIENT_DATA
            | DEPRECATE_EOF;

    /** What the server must offer: anything older than protocol 4.1 with plugin auth is not supported. */
    public static final long REQUIRED = PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH;

    private Capabilities() {
    }

    public static boolean has(long flags, long flag) {
        return (flags & flag) == flag;
    }
}
