package dev.canalboot.testsupport;

import com.alibaba.otter.canal.instance.manager.CanalInstanceWithManager;
import com.alibaba.otter.canal.instance.manager.model.Canal;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter;
import com.alibaba.otter.canal.server.embedded.CanalServerWithEmbedded;
import com.alibaba.otter.canal.server.netty.CanalServerWithNetty;

import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The Canal server itself. Loaded only inside {@link EmbeddedCanalServer}'s isolated class loader
 * (next to Spring 5), so it talks to the outside through JDK types only: a settings map in, {@link
 * AutoCloseable} out.
 */
public final class CanalServerRunner implements AutoCloseable {

    private final String destination;
    private final CanalServerWithEmbedded embedded;
    private final CanalServerWithNetty netty;

    /**
     * Settings: {@code destination, filter, dbHost, dbPort (Integer), dbUser, dbPassword, binlogFile,
     * binlogOffset (Long), slaveId (Long), port (Integer)}; optional {@code canalUser, canalPasswordHash}.
     */
    public CanalServerRunner(Map<String, Object> settings) {
        this.destination = (String) settings.get("destination");
        Canal canal = canalModel(settings);
        String filter = (String) settings.get("filter");
        embedded = new CanalServerWithEmbedded();
        embedded.setCanalInstanceGenerator(name -> new CanalInstanceWithManager(canal, filter));
        if (settings.containsKey("canalUser")) {
            embedded.setUser((String) settings.get("canalUser"));
            embedded.setPasswd((String) settings.get("canalPasswordHash"));
        }
        netty = newNettyServer();
        netty.setEmbeddedServer(embedded);
        netty.setIp("127.0.0.1");
        netty.setPort((Integer) settings.get("port"));
        try {
            embedded.start();
            embedded.start(destination);
            netty.start();
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Canal canalModel(Map<String, Object> settings) {
        CanalParameter parameter = new CanalParameter();
        parameter.setCanalId(1L);
        parameter.setRunMode(CanalParameter.RunMode.EMBEDDED);
        parameter.setMetaMode(CanalParameter.MetaMode.MEMORY);
        parameter.setIndexMode(CanalParameter.IndexMode.MEMORY);
        parameter.setStorageMode(CanalParameter.StorageMode.MEMORY);
        parameter.setMemoryStorageBufferSize(16 * 1024);
        parameter.setHaMode(CanalParameter.HAMode.HEARTBEAT);
        parameter.setSourcingType(CanalParameter.SourcingType.MYSQL);
        parameter.setDbAddresses(List.of(
                new InetSocketAddress((String) settings.get("dbHost"), (Integer) settings.get("dbPort"))));
        parameter.setDbUsername((String) settings.get("dbUser"));
        parameter.setDbPassword((String) settings.get("dbPassword"));
        parameter.setMasterLogfileName((String) settings.get("binlogFile"));
        parameter.setMasterLogfileOffest((Long) settings.get("binlogOffset"));
        parameter.setSlaveId((Long) settings.get("slaveId"));
        parameter.setConnectionCharset("UTF-8");
        parameter.setDefaultConnectionTimeoutInSeconds(30);
        parameter.setDetectingEnable(false);
        // Table-meta history needs an H2/MyBatis store this test setup leaves out
        parameter.setTsdbEnable(false);
        parameter.setGtidEnable(false);
        Canal canal = new Canal();
        canal.setId(1L);
        canal.setName((String) settings.get("destination"));
        canal.setCanalParameter(parameter);
        return canal;
    }

    /** Canal's Netty front end is a singleton by design; tests need one per Canal server. */
    private static CanalServerWithNetty newNettyServer() {
        try {
            Constructor<CanalServerWithNetty> constructor = CanalServerWithNetty.class.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(CanalServerWithNetty.class.getName()
                    + " no longer has the private no-argument constructor this test support relies on", e);
        }
    }

    /** The embedded server, for an MQ producer loop in the same class loader ({@link CanalKafkaRunner}). */
    CanalServerWithEmbedded embedded() {
        return embedded;
    }

    String destination() {
        return destination;
    }

    @Override
    public void close() {
        try {
            if (netty.isStart()) {
                netty.stop();
            }
        } finally {
            if (embedded.isStart(destination)) {
                embedded.stop(destination);
            }
            if (embedded.isStart()) {
                embedded.stop();
            }
        }
    }
}
