package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Spring Boot's JDBC connection details for a {@link TestDatabase}, as the test user (needs
 * {@code spring-boot-jdbc}, e.g. through {@code spring-boot-starter-jdbc}). The URL is Connector/J's, which
 * comes with this module and speaks to MariaDB too.
 */
public final class EmbeddedJdbcConnectionDetails implements JdbcConnectionDetails {

    private final TestDatabase database;
    private final @Nullable String schema;

    private EmbeddedJdbcConnectionDetails(TestDatabase database, @Nullable String schema) {
        this.database = database;
        this.schema = schema;
    }

    /** @param schema the default database of the connections ({@code null}: none) */
    public static EmbeddedJdbcConnectionDetails of(TestDatabase database, @Nullable String schema) {
        return new EmbeddedJdbcConnectionDetails(database, schema);
    }

    @Override
    public String getJdbcUrl() {
        return database.jdbcUrl(schema);
    }

    @Override
    public String getUsername() {
        return database.username();
    }

    @Override
    public String getPassword() {
        return database.password();
    }

    @Override
    public String getDriverClassName() {
        return "com.mysql.cj.jdbc.Driver";
    }
}
