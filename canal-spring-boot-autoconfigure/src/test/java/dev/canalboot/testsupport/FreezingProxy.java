package dev.canalboot.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a server whose open connections can be frozen: they stay open but carry no more bytes,
 * as with a dead peer behind a silent network. Connections opened afterwards relay normally.
 */
public final class FreezingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();

    private static final class Relay {
        volatile boolean frozen;
        final Socket client;
        final Socket server;

        Relay(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }
    }

    public FreezingProxy(String host, int port) throws IOException {
        this(host, port, 0);
    }

    /** A proxy listening on {@code listenPort} of the loopback address (0: any free port). */
    public FreezingProxy(String host, int port, int listenPort) throws IOException {
        listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Relay relay = new Relay(client, new Socket(host, port));
                    relays.add(relay);
                    pump(relay, relay.client, relay.server);
                    pump(relay, relay.server, relay.client);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void pump(Relay relay, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    while (relay.frozen) {
                        Thread.sleep(50); // hold the bytes: the other side sees silence
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the relay ends with either side
            } finally {
                closeQuietly(relay);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Freezes every connection open now. */
    public void freezeOpenConnections() {
        relays.forEach(r -> r.frozen = true);
    }

    private static void closeQuietly(Relay relay) {
        try {
            relay.client.close();
            relay.server.close();
        } catch (IOException ignored) {
            // closing a socket that failed already
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        relays.forEach(r -> {
            r.frozen = false;
            closeQuietly(r);
        });
    }
}
