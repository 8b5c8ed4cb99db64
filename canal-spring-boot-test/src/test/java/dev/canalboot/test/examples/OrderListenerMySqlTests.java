package dev.canalboot.test.examples;

import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.EmbeddedCdcDatabase;
import org.springframework.boot.test.context.SpringBootTest;

/** The application on MySQL 8.0.31: the source streams before the first test runs. */
@SpringBootTest
@EmbeddedCdcDatabase(value = CdcDatabase.MYSQL_8_0, database = "shop",
        initSql = {"CREATE DATABASE IF NOT EXISTS shop", OrderListenerDatabaseContract.SHOP_ORDERS})
class OrderListenerMySqlTests extends OrderListenerDatabaseContract {

    @Override
    long firstId() {
        return System.currentTimeMillis() * 10;
    }
}
