package dev.canalboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A shop whose orders are written by {@link OrderGenerator} and read back as changes by the listeners in
 * {@link OrderListeners} and {@link OrderRowHandler}. {@code ./mvnw -f sample-app spring-boot:test-run} runs it
 * on an embedded MariaDB ({@code TestSampleApplication} and {@code DevServices} in the test sources); the
 * {@code external} and {@code canal-server} profiles show the other set-ups.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
