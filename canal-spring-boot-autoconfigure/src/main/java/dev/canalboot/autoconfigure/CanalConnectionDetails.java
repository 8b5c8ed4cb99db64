package dev.canalboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

import java.util.List;

/**
 * Where the Canal source named {@code default} ({@code canal.source}) connects. A bean of this type wins over
 * {@code canal.source.addresses}, {@code destination}, {@code username} and {@code password}; every other
 * {@code canal.source.*} property still applies. With such a bean the {@code default} source exists even when
 * no {@code canal.source.*} property is set.
 */
public interface CanalConnectionDetails extends ConnectionDetails {

    /** {@code host:port} of each Canal server to try, in order. */
    List<String> addresses();

    String destination();

    /** The Canal user ({@code canal.user.*} of the server); {@code null} when the server needs none. */
    default @Nullable String username() {
        return null;
    }

    default @Nullable String password() {
        return null;
    }
}
