package dev.canalboot.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells the user where to look once the application is up. */
@Component
public class StartupInfo {

    private static final Logger log = LoggerFactory.getLogger(StartupInfo.class);

    @EventListener
    public void onReady(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String base = "http://localhost:" + port + environment.getProperty("management.endpoints.web.base-path", "/actuator");
        log.info("""

                ------------------------------------------------------------------
                  Sample is running. Orders are written every second and the
                  listeners print what they receive below.
                    health:  {}/health
                    metrics: {}/metrics
                    canal:   {}/canal
                  Stop with Ctrl+C.
                ------------------------------------------------------------------""", base, base, base);
    }
}
