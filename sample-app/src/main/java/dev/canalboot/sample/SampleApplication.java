package dev.canalboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A shop whose orders are written by {@link OrderGenerator} and read back as changes by the listeners in
 * {@link OrderListeners} and {@link OrderRowHandler}. By default it runs on an embedded MariaDB (see
 * {@link EmbeddedDatabaseEnvironment}); the {@code external} and {@code canal-server} profiles show the
 * other set-ups.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
