package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to log in. {@code database} may be null.
 */
public record ConnectionSettings(String host, int port, String user, String password, String database,
                                 TlsSettings tls, Duration connectTimeout) {

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        tls = tls == null ? TlsSettings.PREFERRED : tls;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
    }

    public static ConnectionSettings of(String host, int port, String user, String password) {
        return new ConnectionSettings(host, port, user, password, null, null, null);
    }

    public ConnectionSettings withTls(TlsSettings tls) {
        return new ConnectionSettings(host, port, user, password, database, tls, connectTimeout);
    }

    public ConnectionSettings withDatabase(String database) {
        return new ConnectionSettings(host, port, user, password, database, tls, connectTimeout);
    }

    /** {@code user@host:port}, how errors name the login. */
    public String login() {
        return user + "@" + address();
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + login() + ", " + tls + "]";
    }
}
