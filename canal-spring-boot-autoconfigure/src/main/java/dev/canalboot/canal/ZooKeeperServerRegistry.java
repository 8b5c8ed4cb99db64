package dev.canalboot.canal;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canal's registry in ZooKeeper: a Canal server in cluster mode that runs destination {@code D} holds the ephemeral
 * node {@code /otter/canal/destinations/D/running}, whose data is JSON such as
 * {@code {"active":true,"address":"10.0.0.7:11111","cid":1}}. A Curator cache watches that one node; every change
 * (another server took over, the node went with its server's session, it came back) is logged and reported.
 */
final class ZooKeeperServerRegistry implements RunningServerRegistry {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperServerRegistry.class);
    private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ACTIVE = Pattern.compile("\"active\"\\s*:\\s*(true|false)");

    private final CanalSettings settings;
    private final String path;
    private final CuratorFramework client;
    private final CuratorCache cache;
    private final CountDownLatch firstView = new CountDownLatch(1);
    private volatile CanalSettings.@Nullable HostAndPort running;
    private volatile String whyNone = "ZooKeeper has not been read yet";

    ZooKeeperServerRegistry(CanalSettings settings) {
        this.settings = settings;
        this.path = runningNode(settings.destination());
        this.client = CuratorFrameworkFactory.builder()
                .connectString(Objects.requireNonNull(settings.zooKeeper(), "zooKeeper"))
                .sessionTimeoutMs((int) settings.zooKeeperSessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5000))
                .build();
        this.cache = CuratorCache.bridgeBuilder(client, path).withOptions(CuratorCache.Options.SINGLE_NODE_CACHE)
                .build();
    }

    /** Where Canal registers the server that runs {@code destination}. */
    static String runningNode(String destination) {
        return "/otter/canal/destinations/" + destination + "/running";
    }

    @Override
    public void start(Runnable onChange) {
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> {
                    if (firstView.getCount() == 0) {
                        refresh(onChange);
                    }
                })
                .forInitialized(() -> {
                    refresh(onChange);
                    firstView.countDown();
                })
                .build());
        client.start();
        cache.start();
    }

    @Override
    public boolean awaitFirstView(Duration timeout) throws InterruptedException {
        boolean read = firstView.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!read) {
            whyNone = "ZooKeeper at " + settings.zooKeeper() + " did not answer within " + timeout;
        }
        return read;
    }

    @Override
    public CanalSettings.@Nullable HostAndPort running() {
        return running;
    }

    @Override
    public String whyNoneRuns() {
        return whyNone;
    }

    @Override
    public String describe() {
        return "ZooKeeper " + settings.zooKeeper() + " " + path;
    }

    @Override
    public void close() {
        cache.close();
        client.close();
    }

    private synchronized void refresh(Runnable onChange) {
        Optional<ChildData> node = cache.get(path);
        CanalSettings.HostAndPort now = null;
        if (node.isEmpty()) {
            whyNone = "no Canal server runs destination '" + settings.destination() + "': " + describe()
                    + " does not exist";
        } else {
            String json = node.get().getData() == null ? "" : new String(node.get().getData(), StandardCharsets.UTF_8);
            now = parse(json);
        }
        CanalSettings.HostAndPort before = running;
        running = now;
        if (Objects.equals(before, now)) {
            return;
        }
        if (now != null) {
            log.info("Canal source '{}': destination '{}' runs on {} ({})", settings.name(), settings.destination(),
                    now, describe());
        } else {
            log.warn("Canal source '{}': {}; the source stays with the server it reads while that one serves it, and"
                    + " connects to the next server that registers", settings.name(), whyNone);
        }
        onChange.run();
    }

    /** The address of Canal's running-server JSON; {@code null} (and {@link #whyNone} says why) when unusable. */
    private CanalSettings.@Nullable HostAndPort parse(String json) {
        Matcher active = ACTIVE.matcher(json);
        if (active.find() && !Boolean.parseBoolean(active.group(1))) {
            whyNone = "the server registered in " + describe() + " is not active (" + json + ")";
            return null;
        }
        Matcher address = ADDRESS.matcher(json);
        if (address.find()) {
            try {
                return CanalSettings.hostAndPort(settings.name(), address.group(1));
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        whyNone = describe() + " holds '" + json + "', not Canal's running-server JSON with an \"address\":"
                + " \"host:port\"";
        return null;
    }

    private void onConnectionState(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> log.warn("Canal source '{}': connection to ZooKeeper {} suspended; the source stays with"
                    + " {} and follows the registry again once reconnected", settings.name(), settings.zooKeeper(),
                    running == null ? "no server" : running);
            case LOST -> log.warn("Canal source '{}': ZooKeeper session at {} lost; reconnecting to ZooKeeper (the"
                    + " Canal connection is not affected)", settings.name(), settings.zooKeeper());
            case RECONNECTED -> log.info("Canal source '{}': reconnected to ZooKeeper {}", settings.name(),
                    settings.zooKeeper());
            default -> {
            }
        }
    }
}
