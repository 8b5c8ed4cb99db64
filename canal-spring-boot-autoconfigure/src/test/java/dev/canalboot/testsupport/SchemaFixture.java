package dev.canalboot.testsupport;

import dev.canalboot.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * A test class's own schema on a shared server ({@link TestServers}), as a JUnit extension registered with
 * {@code @RegisterExtension}: before each test the schema is created afresh with one table {@code t (id INT PRIMARY
 * KEY)}; after each test what the test handed to {@link #closeLater} is closed, last first, and the schema dropped.
 */
public final class SchemaFixture implements BeforeEachCallback, AfterEachCallback {

    private final EmbeddedDatabase database;
    private final String schema;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public SchemaFixture(EmbeddedDatabase database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    public EmbeddedDatabase database() {
        return database;
    }

    /** Closes {@code closeable} after the test, before the schema is dropped; returns it. */
    public <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        database.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
        } finally {
            closeables.clear();
            database.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }
}
