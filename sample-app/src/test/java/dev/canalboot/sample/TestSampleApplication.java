package dev.canalboot.sample;

import org.springframework.boot.SpringApplication;

/**
 * The sample on an embedded MariaDB, from the test class path:
 * {@code ./mvnw -f sample-app spring-boot:test-run} (or run this class from the IDE).
 */
public class TestSampleApplication {

    public static void main(String[] args) {
        SpringApplication.from(SampleApplication::main).with(DevServices.class).run(args);
    }
}
