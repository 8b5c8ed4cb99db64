package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.canal.DatabaseCommitProbe;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.source.ChangeSource;

import java.time.ZoneId;

/** Creates {@link CanalChangeSource}s from {@code canal.source(s)} properties. Positions live on the Canal server. */
class CanalSourceFactory implements ChangeSourceFactory {

    @Override
    public SourceType type() {
        return SourceType.CANAL;
    }

    @Override
    public ChangeSource create(String name, SourceProperties source, CanalProperties properties) {
        CanalChangeSource canal = new CanalChangeSource(settings(name, source, properties));
        SourceProperties.Upstream upstream = source.getUpstream();
        if (upstream.getHost() != null && !upstream.getHost().isBlank()) {
            ConnectionSettings database = new ConnectionSettings(upstream.getHost().trim(), upstream.getPort(),
                    upstream.getUsername() == null ? "" : upstream.getUsername(), upstream.getPassword(), null, null,
                    source.getConnectTimeout());
            canal.watchUpstream(new DatabaseCommitProbe(name, database, source.getReadTimeout()),
                    upstream.getStallTimeout());
        }
        return canal;
    }

    static CanalSettings settings(String name, SourceProperties source, CanalProperties properties) {
        CanalSettings.Builder builder = CanalSettings.builder(name, source.getDestination().trim())
                .addresses(source.getAddresses().stream().map(String::trim).toList())
                .credentials(source.getUsername(), source.getPassword())
                .clientId(Short.toString(source.getClientId()))
                .batchSize(source.getBatchSize())
                .fetchTimeout(source.getFetchTimeout())
                .prefetch(source.getPrefetch())
                .connectTimeout(source.getConnectTimeout())
                .readTimeout(source.getReadTimeout())
                .reconnectBackoff(source.getReconnect().getInitialInterval(), source.getReconnect().getMaxInterval())
                .maxReconnectAttempts(source.getReconnect().effectiveMaxAttempts())
                .serverZone(source.getServerTimeZone() != null ? source.getServerTimeZone() : ZoneId.systemDefault())
                .zeroDates(properties.getZeroDates());
        if (source.getFilter() != null && !source.getFilter().isBlank() && !source.isUseServerFilter()) {
            builder.filter(source.getFilter().trim());
        } else {
            builder.useServerFilter(true);
        }
        return builder.build();
    }
}
