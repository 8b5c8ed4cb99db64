package dev.canalboot.readme;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.embedded.RowMetadata;

/** README snippet, compiled: the embedded database launchers (Embedded databases). ReadmeSnippetsTest checks the README still shows these lines. */
class EmbeddedDatabasesSnippet {

    void example() {
        try (EmbeddedMySql mysql = EmbeddedMySql.builder()
                .gtid(true)                         // gtid_mode=ON, enforce_gtid_consistency=ON
                .rowMetadata(RowMetadata.FULL)      // binlog_row_metadata (default FULL)
                .transactionCompression(true)       // binlog_transaction_compression=ON
                .tls(true)                          // default off; caCertificate() gives the CA path
                .initSql("CREATE DATABASE shop")    // run by the server itself at start (--init-file)
                .start()) {
            String url = mysql.jdbcUrl("shop");     // jdbc:mysql://127.0.0.1:<port>/shop?...
            DatabaseUser sha2 = mysql.cachingSha2User();
            DatabaseUser nativeUser = mysql.nativePasswordUser();
            mysql.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");   // as root, over JDBC
        }

        try (EmbeddedMariaDb mariadb = EmbeddedMariaDb.builder()
                .annotateRowEvents(true)            // binlog_annotate_row_events (default on)
                .semiSync(true)                     // rpl_semi_sync_master_enabled (built into MariaDB)
                .start()) {
            DatabaseUser user = mariadb.nativePasswordUser();
        }
    }
}
