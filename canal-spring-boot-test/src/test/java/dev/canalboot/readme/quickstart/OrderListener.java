package dev.canalboot.readme.quickstart;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** README snippet, compiled: the first listener (Quick start). ReadmeSnippetsTest checks the README still shows these lines. */
@Component
class OrderListener {

    private static final Logger log = LoggerFactory.getLogger(OrderListener.class);

    @CanalListener(table = "shop.orders")
    void onOrder(RowChange change) {
        log.info("{} {}", change.type(), change.row());
    }
}
