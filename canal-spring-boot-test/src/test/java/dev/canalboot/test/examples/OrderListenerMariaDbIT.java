package dev.canalboot.test.examples;

import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.EmbeddedCdcDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** The application on MariaDB 11.4.5: the source streams before the first test runs. */
@SpringBootTest
@Import(ChangeRecorder.class) // not needed: the annotation adds one, and adds none when the test has its own
@EmbeddedCdcDatabase(value = CdcDatabase.MARIADB_11_4, database = "shop",
        initSql = {"CREATE DATABASE IF NOT EXISTS shop", OrderListenerDatabaseContract.SHOP_ORDERS})
class OrderListenerMariaDbIT extends OrderListenerDatabaseContract {

    @Override
    long firstId() {
        return System.currentTimeMillis() * 10;
    }
}
