package dev.canalboot.binlog;

import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the resume and server-failure tests share: an {@code items} table in their own schema, one row per
 * transaction, a file checkpoint store per test, and sources closed after each test.
 */
abstract class ItemsTableContract {

    @TempDir
    Path checkpoints;
    FileCheckpointStore store;
    final List<BinlogChangeSource> sources = new ArrayList<>();
    final AtomicLong ids = new AtomicLong();

    abstract EmbeddedDatabase server();

    /** The schema that holds this contract's {@code items} table. */
    abstract String schema();

    @BeforeEach
    void createItemsTable() {
        server().execute("CREATE DATABASE IF NOT EXISTS " + schema(),
                "CREATE TABLE IF NOT EXISTS " + schema() + ".items (id BIGINT PRIMARY KEY, label VARCHAR(50))");
        store = new FileCheckpointStore(checkpoints);
        ids.set(System.nanoTime() / 1000);
    }

    @AfterEach
    void closeSources() {
        sources.forEach(BinlogChangeSource::close);
    }

    BinlogChangeSource start(BinlogSourceSettings settings, CheckpointPolicy policy) {
        BinlogChangeSource source = new BinlogChangeSource(settings, store, policy);
        sources.add(source);
        source.start();
        return source;
    }

    /** Inserts one row per transaction; returns the ids in order. */
    List<Long> insert(int transactions) {
        List<Long> inserted = new ArrayList<>();
        String[] statements = new String[transactions];
        for (int i = 0; i < transactions; i++) {
            long id = ids.incrementAndGet();
            inserted.add(id);
            statements[i] = "INSERT INTO " + schema() + ".items VALUES (" + id + ", 'row-" + id + "')";
        }
        server().execute(statements);
        return inserted;
    }
}
