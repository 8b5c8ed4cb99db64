package dev.canalboot.sample;

import dev.canalboot.autoconfigure.BinlogConnectionDetails;
import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.EmbeddedCdcDatabases;
import dev.canalboot.test.EmbeddedJdbcConnectionDetails;
import dev.canalboot.test.TestDatabase;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The sample's services at development time: an embedded MariaDB 11.4 with database {@code shop}, and the
 * connection details the binlog source and the DataSource take from it (no {@code canal.source.*} or
 * {@code spring.datasource.*} property needed). Used by {@link TestSampleApplication}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DevServices {

    @Bean
    TestDatabase shopDatabase() {
        TestDatabase database = EmbeddedCdcDatabases.get(CdcDatabase.MARIADB_11_4);
        database.server().execute("CREATE DATABASE IF NOT EXISTS shop");
        return database;
    }

    @Bean
    BinlogConnectionDetails shopBinlogConnection(TestDatabase shopDatabase) {
        return shopDatabase.connectionDetails();
    }

    @Bean
    JdbcConnectionDetails shopJdbcConnection(TestDatabase shopDatabase) {
        return EmbeddedJdbcConnectionDetails.of(shopDatabase, "shop");
    }
}
