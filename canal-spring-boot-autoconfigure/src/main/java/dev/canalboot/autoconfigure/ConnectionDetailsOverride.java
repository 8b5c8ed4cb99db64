package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.autoconfigure.SourceProperties.Ssl;
import dev.canalboot.binlog.tls.TlsSettings;
import org.springframework.beans.factory.ListableBeanFactory;

import java.util.List;

/**
 * Applies a {@link BinlogConnectionDetails} or {@link CanalConnectionDetails} bean to the {@code default}
 * source: the bean's connection wins over the properties, the rest of {@code canal.source.*} stays. One bean
 * of the two kinds at most: two would leave the source's type open.
 */
final class ConnectionDetailsOverride {

    private ConnectionDetailsOverride() {
    }

    /** Whether the bean factory defines connection details (resolved from bean definitions, nothing created). */
    static boolean present(ListableBeanFactory beanFactory) {
        return beanFactory.getBeanNamesForType(BinlogConnectionDetails.class, true, false).length
                + beanFactory.getBeanNamesForType(CanalConnectionDetails.class, true, false).length > 0;
    }

    /** {@code source} (a new one when {@code null}) with the connection details applied, if there are any. */
    static SourceProperties apply(SourceProperties source, ListableBeanFactory beanFactory) {
        String[] binlog = beanFactory.getBeanNamesForType(BinlogConnectionDetails.class, true, false);
        String[] canal = beanFactory.getBeanNamesForType(CanalConnectionDetails.class, true, false);
        if (binlog.length + canal.length == 0) {
            return source;
        }
        if (binlog.length + canal.length > 1) {
            throw new InvalidCanalConfigurationException("canal.source",
                    "There are " + (binlog.length + canal.length) + " connection details beans for source 'default' "
                            + "(BinlogConnectionDetails " + List.of(binlog) + ", CanalConnectionDetails "
                            + List.of(canal) + ").",
                    "Keep one: it says where canal.source connects. Configure further sources under canal.sources.*.");
        }
        SourceProperties target = source != null ? source : new SourceProperties();
        if (binlog.length == 1) {
            BinlogConnectionDetails details = beanFactory.getBean(binlog[0], BinlogConnectionDetails.class);
            target.setType(SourceType.BINLOG);
            target.setHost(details.host());
            target.setPort(details.port());
            target.setUsername(details.username());
            target.setPassword(details.password());
            if (details.tls() != null) {
                applyTls(details.tls(), target.getSsl());
            }
        } else {
            CanalConnectionDetails details = beanFactory.getBean(canal[0], CanalConnectionDetails.class);
            target.setType(SourceType.CANAL);
            target.setAddresses(details.addresses());
            target.setDestination(details.destination());
            target.setUsername(details.username());
            target.setPassword(details.password());
        }
        return target;
    }

    private static void applyTls(TlsSettings tls, Ssl ssl) {
        ssl.setMode(tls.mode());
        ssl.setTrustStore(tls.trustStore());
        ssl.setTrustStorePassword(tls.trustStorePassword() == null ? null : new String(tls.trustStorePassword()));
        if (tls.trustStoreType() != null) {
            ssl.setTrustStoreType(tls.trustStoreType());
        }
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.keyStorePassword() == null ? null : new String(tls.keyStorePassword()));
        if (tls.keyStoreType() != null) {
            ssl.setKeyStoreType(tls.keyStoreType());
        }
    }
}
