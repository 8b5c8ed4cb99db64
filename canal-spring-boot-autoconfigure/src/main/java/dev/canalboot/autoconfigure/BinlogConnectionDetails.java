package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.tls.TlsSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the binlog source named {@code default} ({@code canal.source}) connects. A bean of this type wins over
 * {@code canal.source.host}, {@code port}, {@code username}, {@code password} (and {@code ssl.*} when
 * {@link #tls()} is not null); every other {@code canal.source.*} property still applies. With such a bean the
 * {@code default} source exists even when no {@code canal.source.*} property is set. Test and development-time
 * services (e.g. {@code canal-spring-boot-test}'s embedded databases) supply one, as Spring Boot's own services
 * do for their connections.
 */
public interface BinlogConnectionDetails extends ConnectionDetails {

    String host();

    int port();

    String username();

    String password();

    /** TLS of the connection; {@code null} (the default) keeps {@code canal.source.ssl.*}. */
    default @Nullable TlsSettings tls() {
        return null;
    }
}
