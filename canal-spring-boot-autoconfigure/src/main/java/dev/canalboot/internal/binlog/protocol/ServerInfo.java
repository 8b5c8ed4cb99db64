package dev.canalboot.internal.binlog.protocol;

/**
 * What the handshake told about the server and the session.
 *
 * @param capabilities the negotiated capabilities (client ∩ server; MariaDB extended ones in bits 32..63)
 * @param tls          whether the session runs over TLS
 * @param authPlugin   the plugin the login finished with (after any auth switch)
 * @param fullAuthentication whether caching_sha2_password had to send the password (cache miss) rather
 *                     than the fast scramble
 */
public record ServerInfo(String address, String version, long connectionId, boolean mariaDb, long capabilities,
                         boolean tls, String authPlugin,
                         boolean fullAuthentication) {

    /** The numeric version, e.g. 80031 for 8.0.31 or 110405 for MariaDB 11.4.5. */
    public int versionNumber() {
        String v = version.startsWith("5.5.5-") ? version.substring(6) : version;
        String[] parts = v.split("[.-]", 4);
        int number = 0;
        for (int i = 0; i < 3; i++) {
            int part = 0;
            if (i < parts.length) {
                String digits = parts[i].replaceAll("\\D.*", "");
                part = digits.isEmpty() ? 0 : Integer.parseInt(digits);
            }
            number = number * 100 + part;
        }
        return number;
    }
}
