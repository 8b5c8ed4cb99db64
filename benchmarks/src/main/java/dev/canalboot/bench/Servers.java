package dev.canalboot.bench;

/** Starts the servers a run reads from: embedded ones, or the external ones named on the command line. */
final class Servers {

    private Servers() {
    }

    static BenchServer start(BenchServer.Flavor flavor, BenchOptions options) {
        String external = options.external().get(flavor);
        if (external != null) {
            return external(flavor, external);
        }
        throw new IllegalStateException("Embedded " + flavor + " servers are not wired in yet; pass --"
                + flavor.name().toLowerCase(java.util.Locale.ROOT) + "=host:port:user:password");
    }

    /** {@code host:port:user:password}; the version is asked from the server. */
    static BenchServer external(BenchServer.Flavor flavor, String spec) {
        String[] parts = spec.split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Expected host:port:user:password for " + flavor + ", got '" + spec + "'");
        }
        BenchServer probe = new BenchServer(flavor, "?", parts[0], Integer.parseInt(parts[1]), parts[2], parts[3], null);
        String[] version = {"?"};
        try (var connection = probe.connect()) {
            version[0] = connection.getMetaData().getDatabaseProductVersion().replaceAll("-.*", "");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot read the version of " + probe + ": " + e.getMessage(), e);
        }
        return new BenchServer(flavor, version[0], parts[0], Integer.parseInt(parts[1]), parts[2], parts[3], null);
    }
}
