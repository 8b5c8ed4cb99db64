package dev.canalboot.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes to {@code shop.orders} every {@code sample.generator.interval} (1 s): a new order each time, a
 * status update every second time, a delete every fifth time. Off with {@code sample.generator.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.generator.enabled", matchIfMissing = true)
public class OrderGenerator {

    private static final Logger log = LoggerFactory.getLogger(OrderGenerator.class);
    private static final List<String> CUSTOMERS = List.of("ada", "grace", "linus", "barbara", "ken");

    /** The table the generator writes to. */
    static final String ORDERS_TABLE = "CREATE TABLE IF NOT EXISTS shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
            + "customer VARCHAR(64) NOT NULL, amount DECIMAL(10,2) NOT NULL, status ENUM('NEW','PAID','SHIPPED') NOT NULL, "
            + "created_at DATETIME(3) NOT NULL)";

    private final JdbcTemplate jdbc;
    private final AtomicLong ticks = new AtomicLong();

    public OrderGenerator(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // Database shop exists (the dev services create it; the 'external' profile needs it); the table is made here.
        jdbc.execute(ORDERS_TABLE);
    }

    @Scheduled(fixedDelayString = "${sample.generator.interval:1s}", initialDelayString = "${sample.generator.interval:1s}")
    public void generate() {
        long tick = ticks.incrementAndGet();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String customer = CUSTOMERS.get(random.nextInt(CUSTOMERS.size()));
        BigDecimal amount = BigDecimal.valueOf(random.nextInt(100, 100_000), 2);
        jdbc.update("INSERT INTO orders (customer, amount, status, created_at) VALUES (?, ?, 'NEW', ?)",
                customer, amount, LocalDateTime.now());
        if (tick % 2 == 0) {
            jdbc.update("UPDATE orders SET status = IF(status = 'NEW', 'PAID', 'SHIPPED'), amount = amount + 1 "
                    + "WHERE id = (SELECT id FROM (SELECT MIN(id) AS id FROM orders WHERE status <> 'SHIPPED') AS o)");
        }
        if (tick % 5 == 0) {
            jdbc.update("DELETE FROM orders WHERE status = 'SHIPPED' ORDER BY id LIMIT 1");
        }
        log.debug("Generator tick {}", tick);
    }
}
