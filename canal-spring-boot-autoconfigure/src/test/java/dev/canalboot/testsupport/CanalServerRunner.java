package dev.canalboot.testsupport;

import com.alibaba.otter.canal.common.zookeeper.ZkClientx;
import com.alibaba.otter.canal.common.zookeeper.ZookeeperPathUtils;
import com.alibaba.otter.canal.common.zookeeper.running.ServerRunningData;
import com.alibaba.otter.canal.common.zookeeper.running.ServerRunningListener;
import com.alibaba.otter.canal.common.zookeeper.running.ServerRunningMonitor;
import com.alibaba.otter.canal.common.zookeeper.running.ServerRunningMonitors;
import com.alibaba.otter.canal.instance.manager.CanalInstanceWithManager;
import com.alibaba.otter.canal.instance.manager.model.Canal;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter;
import com.alibaba.otter.canal.server.embedded.CanalServerWithEmbedded;
import com.alibaba.otter.canal.server.netty.CanalServerWithNetty;

import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.util.HashMap;
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
    /** Cluster mode only: this server's ZooKeeper session, and the monitor that runs the destination when elected. */
    private ZkClientx zk;
    private ServerRunningMonitor runningMonitor;
    private String clusterNode;
    private String zkServers;
    private boolean everActive;

    /**
     * Settings: {@code destination, filter, dbHost, dbPort (Integer), dbUser, dbPassword, binlogFile,
     * binlogOffset (Long), slaveId (Long), port (Integer)}; optional {@code canalUser, canalPasswordHash};
     * optional {@code zkServers} (cluster mode, see {@link #startCluster}).
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
            if (settings.containsKey("zkServers")) {
                startCluster((String) settings.get("zkServers"), "127.0.0.1:" + settings.get("port"),
                        (Integer) settings.get("zkDelaySeconds"));
            } else {
                embedded.start(destination);
            }
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

    /**
     * Canal's cluster mode, as its deployer runs it with {@code canal.zkServers} set: the server registers under
     * {@code /otter/canal/cluster}, and Canal's own {@link ServerRunningMonitor} competes for the destination's
     * ephemeral {@code running} node, starting the destination only while it holds it (and taking it over, after
     * its delay, when the holder goes). Each server has its own ZooKeeper session, as separate processes would.
     */
    private void startCluster(String zkServers, String address, int delaySeconds) {
        this.zkServers = zkServers;
        zk = new ZkClientx(zkServers, 10_000, 10_000);
        zk.createPersistent(ZookeeperPathUtils.DESTINATION_ROOT_NODE, true);
        zk.createPersistent(ZookeeperPathUtils.CANAL_CLUSTER_ROOT_NODE, true);
        ServerRunningData serverData = new ServerRunningData(address);
        ServerRunningMonitors.setServerData(serverData);
        runningMonitor = new ServerRunningMonitor(serverData);
        runningMonitor.setDestination(destination);
        runningMonitor.setZkClient(zk);
        runningMonitor.setDelayTime(delaySeconds);
        String destinationNode = ZookeeperPathUtils.getDestinationClusterNode(destination, address);
        runningMonitor.setListener(new ServerRunningListener() {
            @Override
            public void processActiveEnter() {
                everActive = true;
                embedded.start(destination);
            }

            @Override
            public void processActiveExit() {
                embedded.stop(destination);
            }

            @Override
            public void processStart() {
                zk.createPersistent(ZookeeperPathUtils.getDestinationClusterRoot(destination), true);
                zk.createEphemeral(destinationNode);
            }

            @Override
            public void processStop() {
                zk.delete(destinationNode);
            }
        });
        Map<String, ServerRunningMonitor> monitors = new HashMap<>();
        monitors.put(destination, runningMonitor);
        ServerRunningMonitors.setRunningMonitors(monitors); // read by Canal's session handler on subscribe
        clusterNode = ZookeeperPathUtils.getCanalClusterNode(address);
        zk.createEphemeral(clusterNode);
        runningMonitor.start();
    }

    private static Canal canalModel(Map<String, Object> settings) {
        CanalParameter parameter = new CanalParameter();
        parameter.setCanalId(1L);
        parameter.setRunMode(CanalParameter.RunMode.EMBEDDED);
        if (settings.containsKey("zkServers")) {
            // Cluster mode: client cursors flushed to ZooKeeper (as Canal's default instance does), so that the server
            // taking over resumes from them
            parameter.setZkClusters(List.of((String) settings.get("zkServers")));
            parameter.setMetaMode(CanalParameter.MetaMode.MIXED);
            parameter.setIndexMode(CanalParameter.IndexMode.MEMORY_META_FAILBACK);
        } else {
            parameter.setMetaMode(CanalParameter.MetaMode.MEMORY);
            parameter.setIndexMode(CanalParameter.IndexMode.MEMORY);
        }
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
            try {
                if (runningMonitor != null && runningMonitor.isStart()) {
                    runningMonitor.stop(); // releases the running node: another server takes the destination over
                }
            } finally {
                if (embedded.isStart(destination)) {
                    embedded.stop(destination);
                }
                if (embedded.isStart()) {
                    embedded.stop();
                }
                if (zk != null) {
                    zk.delete(clusterNode);
                    zk.close();
                }
                if (everActive) {
                    // the cursor store's client, which Canal caches per connect string (in this class loader only)
                    ZkClientx.getZkClient(zkServers).close();
                    ZkClientx.clearClients();
                }
            }
        }
    }
}
