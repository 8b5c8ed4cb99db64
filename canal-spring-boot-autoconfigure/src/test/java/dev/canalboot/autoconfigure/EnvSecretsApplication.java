package dev.canalboot.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application as a user starts it, run in its own JVM by {@link EnvEndpointSecretsTest} so that environment
 * variables, {@code JAVA_TOOL_OPTIONS} and the command line ({@code sun.java.command}) are real.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EnvSecretsApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(EnvSecretsApplication.class, args);
        System.out.println("PORT=" + context.getEnvironment().getProperty("local.server.port"));
    }
}
