package dev.canalboot.checkpoint;

import java.util.Objects;

/**
 * Which database server a checkpoint's positions belong to: binlog file names and offsets mean something only on
 * the server that wrote them.
 *
 * @param serverUuid   MySQL's {@code @@server_uuid} (new for every freshly initialised data directory); null on
 *                     MariaDB, which has none
 * @param serverId     {@code @@server_id}
 * @param gtidDomainId MariaDB's {@code @@gtid_domain_id}; null on MySQL
 */
public record ServerIdentity(String serverUuid, long serverId, Long gtidDomainId) {

    public ServerIdentity {
        if (serverUuid != null && serverUuid.isBlank()) {
            serverUuid = null;
        }
    }

    public static ServerIdentity mysql(String serverUuid, long serverId) {
        return new ServerIdentity(Objects.requireNonNull(serverUuid, "serverUuid"), serverId, null);
    }

    public static ServerIdentity mariaDb(long serverId, long gtidDomainId) {
        return new ServerIdentity(null, serverId, gtidDomainId);
    }

    /**
     * Whether {@code other} is the same server: MySQL by server UUID; MariaDB (no UUID) by server id and GTID
     * domain, which a re-created MariaDB with the same configuration shares — its GTID position then tells.
     */
    public boolean sameServer(ServerIdentity other) {
        if (other == null) {
            return false;
        }
        if (serverUuid != null || other.serverUuid != null) {
            return Objects.equals(serverUuid, other.serverUuid);
        }
        return serverId == other.serverId && Objects.equals(gtidDomainId, other.gtidDomainId);
    }

    @Override
    public String toString() {
        if (serverUuid != null) {
            return "MySQL server_uuid " + serverUuid + ", server_id " + serverId;
        }
        return gtidDomainId != null ? "MariaDB server_id " + serverId + ", gtid_domain_id " + gtidDomainId
                : "server_id " + serverId;
    }
}
