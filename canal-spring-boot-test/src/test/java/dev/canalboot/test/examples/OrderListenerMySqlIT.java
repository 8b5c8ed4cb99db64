package dev.canalboot.test.examples;

import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.EmbeddedCdcDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application on MySQL 8.0.31 without GTIDs and with minimal row metadata (the README's ShopOnMySqlIT
 * covers the defaults): the source streams before the first test runs.
 */
@SpringBootTest
@EmbeddedCdcDatabase(value = CdcDatabase.MYSQL_8_0, gtid = false, rowMetadata = RowMetadata.MINIMAL, database = "shop",
        initSql = {"CREATE DATABASE IF NOT EXISTS shop", OrderListenerDatabaseContract.SHOP_ORDERS})
class OrderListenerMySqlIT extends OrderListenerDatabaseContract {

    @Override
    long firstId() {
        return System.currentTimeMillis() * 10;
    }

    @Test
    void theServerRunsAsTheAnnotationSays() {
        assertThat(database.query("SELECT @@gtid_mode AS gtid, @@binlog_row_metadata AS metadata"))
                .containsExactly(Map.of("gtid", "OFF", "metadata", "MINIMAL"));
    }
}
