package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.tls.TlsSettings;

/** The command line the kill tests give their consumer JVMs ({@code *Main}): the server first, then their own. */
public final class MainArgs {

    private MainArgs() {
    }

    /**
     * A binlog source named {@code name} on the server of {@code args[0..4]}: host, port, user, password,
     * server id; plain TCP on loopback.
     */
    public static BinlogSourceSettings.Builder binlogSource(String name, String[] args) {
        return BinlogSourceSettings.builder(name, args[0], Integer.parseInt(args[1]), args[2], args[3])
                .serverId(Long.parseLong(args[4]))
                .tls(TlsSettings.DISABLED);
    }
}
