package dev.canalboot.testsupport;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application as a user starts it, run in its own JVM by {@link
 * dev.canalboot.autoconfigure.EnvEndpointSecretsIT} so that environment variables, {@code JAVA_TOOL_OPTIONS} and
 * the command line ({@code sun.java.command}) are real.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EnvSecretsMain {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(EnvSecretsMain.class, args);
        System.out.println("PORT=" + context.getEnvironment().getProperty("local.server.port"));
    }
}
