package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.Row;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sources configured only by properties, against real servers: a binlog source on MariaDB 11.4 that
 * resumes from its checkpoint, and a Canal source on a Canal 1.1.7 server.
 */
class ConfiguredSourcesIT {

    private static final String SCHEMA = "autoconf_it";

    static EmbeddedMariaDb db;
    static DatabaseUser user;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void createSchema() {
        db = TestServers.mariadb();
        user = db.nativePasswordUser();
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".items (id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL)",
                "CREATE TABLE " + SCHEMA + ".canal_items (id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL)");
    }

    private ApplicationContextRunner binlogRunner(String file, long position) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                .withUserConfiguration(ItemListener.class)
                .withPropertyValues("canal.checkpoint.file.directory=" + checkpoints,
                        "canal.source.host=" + db.host(), "canal.source.port=" + db.port(),
                        "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                        "canal.source.start.mode=position", "canal.source.start.file=" + file,
                        "canal.source.start.position=" + position);
    }

    @Test
    void binlogSourceDeliversSavesItsCheckpointAndResumesFromIt() throws Exception {
        String[] start = binlogEnd();
        long startPosition = Long.parseLong(start[1]);
        insert("items", 1);
        insert("items", 2);

        binlogRunner(start[0], startPosition).run(context -> {
            assertThat(context).hasNotFailed();
            BlockingQueue<Long> received = context.getBean(ItemListener.class).ids;
            assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(2L);
        });
        Checkpoint saved = new FileCheckpointStore(checkpoints).load("default").orElseThrow();
        assertThat(saved.file()).isEqualTo(start[0]);
        assertThat(saved.position()).isGreaterThan(startPosition);

        insert("items", 3); // while the application is down
        binlogRunner(start[0], startPosition).run(context -> {
            assertThat(context).hasNotFailed();
            BlockingQueue<Long> received = context.getBean(ItemListener.class).ids;
            // The checkpoint wins over the configured start: 1 and 2 are not delivered again.
            assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(3L);
            insert("items", 4);
            assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(4L);
        });

        binlogRunner(start[0], startPosition).withPropertyValues("canal.source.checkpoint-wins=false").run(context -> {
            assertThat(context).hasNotFailed();
            // The configured start position wins: everything again from 1.
            assertThat(context.getBean(ItemListener.class).ids.poll(60, TimeUnit.SECONDS)).isEqualTo(1L);
        });
    }

    @Test
    void jdbcCheckpointStoreSavesInTheApplicationsDatabase() throws Exception {
        String[] start = binlogEnd();
        insert("items", 100);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(SCHEMA), db.rootUser(),
                db.rootPassword());
        binlogRunner(start[0], Long.parseLong(start[1]))
                .withPropertyValues("canal.checkpoint.store=jdbc", "canal.checkpoint.jdbc.table=cdc_positions")
                .withBean(DataSource.class, () -> dataSource)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ItemListener.class).ids.poll(60, TimeUnit.SECONDS)).isEqualTo(100L);
                });
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT binlog_file, binlog_position FROM cdc_positions WHERE source_name = 'default'")) {
            assertThat(rs.next()).as("a checkpoint row for source 'default'").isTrue();
            assertThat(rs.getString(1)).isEqualTo(start[0]);
            assertThat(rs.getLong(2)).isGreaterThan(Long.parseLong(start[1]));
        }
    }

    @Test
    void canalSourceDeliversRowsOfACanalServer() throws Exception {
        String[] start = binlogEnd();
        try (EmbeddedCanalServer canal = EmbeddedCanalServer.builder(db).filter(SCHEMA + "\\.canal_items")
                .binlogPosition(start[0], Long.parseLong(start[1])).start()) {
            insert("canal_items", 10);
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                    .withUserConfiguration(CanalItemListener.class)
                    .withPropertyValues("canal.checkpoint.store=none",
                            "canal.sources.legacy.addresses=" + canal.host() + ":" + canal.port(),
                            "canal.sources.legacy.destination=" + canal.destination())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        BlockingQueue<Long> received = context.getBean(CanalItemListener.class).ids;
                        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(10L);
                        insert("canal_items", 11);
                        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(11L);
                    });
        }
    }

    /** The current end of the binlog: file and position. */
    private static String[] binlogEnd() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).as("binary logging is on").isTrue();
            return new String[]{rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private static void insert(String table, long id) {
        db.execute("INSERT INTO " + SCHEMA + "." + table + " VALUES (" + id + ", 'item " + id + "')");
    }

    @Configuration(proxyBeanMethods = false)
    static class ItemListener {
        final BlockingQueue<Long> ids = new LinkedBlockingQueue<>();

        @CanalListener(table = SCHEMA + ".items")
        void onItem(Row row) {
            ids.add(row.getLong("id"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CanalItemListener {
        final BlockingQueue<Long> ids = new LinkedBlockingQueue<>();

        @CanalListener(table = SCHEMA + ".canal_items")
        void onItem(Row row) {
            ids.add(row.getLong("id"));
        }
    }
}
