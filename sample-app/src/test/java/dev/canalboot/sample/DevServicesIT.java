package dev.canalboot.sample;

import dev.canalboot.model.ChangeType;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.RowChangeCondition;
import dev.canalboot.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** What `spring-boot:test-run` starts: the sample with DevServices, connected through connection details only. */
class DevServicesIT {

    @Test
    void theSampleRunsOnTheDevServicesDatabaseWithoutConnectionProperties() {
        try (ConfigurableApplicationContext context = SpringApplication.from(SampleApplication::main)
                .with(DevServices.class, Recording.class)
                .run("--server.port=0", "--sample.generator.interval=200ms").getApplicationContext()) {
            assertThat(context.getEnvironment().getProperty("canal.source.host")).as("no connection property").isNull();
            assertThat(context.getEnvironment().getProperty("spring.datasource.url")).isNull();
            TestDatabase database = context.getBean(TestDatabase.class);
            ChangeRecorder recorder = context.getBean(ChangeRecorder.class);
            assertThat(recorder.awaitRowChange(RowChangeCondition.on("shop.orders").ofType(ChangeType.INSERT))
                    .row().getString("status")).isEqualTo("NEW");
            // The generator wrote through the DataSource of the JDBC connection details: the same server.
            assertThat(database.query("SELECT COUNT(*) AS n FROM shop.orders").get(0).get("n"))
                    .isInstanceOf(Long.class).matches(n -> (Long) n > 0);
        }
    }

    @Import(ChangeRecorder.class)
    static class Recording {
    }
}
