package dev.canalboot.readme;

import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;

/** README snippet, compiled: the test Canal server (Test Canal server). ReadmeSnippetsTest checks the README still shows these lines. */
class CanalServerSnippet {

    void example() {
        try (EmbeddedCanalServer canal = EmbeddedCanalServer.builder(TestServers.mysql())
                .destination("shop").filter("shop\\..*").start()) {
            // connect to canal.host():canal.port(), destination "shop"
        }
    }
}
