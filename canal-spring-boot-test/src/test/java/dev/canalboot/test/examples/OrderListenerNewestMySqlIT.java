package dev.canalboot.test.examples;

import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.EmbeddedCdcDatabase;
import org.springframework.boot.test.context.SpringBootTest;

/** The application on newest MySQL (8.4+, Debian packages; the test user authenticates with caching_sha2_password). */
@SpringBootTest
@EmbeddedCdcDatabase(value = CdcDatabase.NEWEST_MYSQL, database = "shop",
        initSql = {"CREATE DATABASE IF NOT EXISTS shop", OrderListenerDatabaseContract.SHOP_ORDERS})
class OrderListenerNewestMySqlIT extends OrderListenerDatabaseContract {

    @Override
    long firstId() {
        return System.currentTimeMillis() * 10;
    }
}
