package dev.canalboot.testsupport;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import dev.canalboot.listener.CanalListenerConfiguration;
import org.springframework.core.env.MapPropertySource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Real Spring contexts for listener tests. */
public final class ListenerContexts {

    private ListenerContexts() {
    }

    public static AnnotationConfigApplicationContext start(Class<?>... classes) {
        return start(Map.of(), classes);
    }

    public static AnnotationConfigApplicationContext start(Map<String, Object> properties, Class<?>... classes) {
        AnnotationConfigApplicationContext context = create(properties, classes);
        context.refresh();
        return context;
    }

    public static AnnotationConfigApplicationContext create(Map<String, Object> properties, Class<?>... classes) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
        context.register(CanalListenerConfiguration.class);
        context.register(classes);
        return context;
    }

    /** What listeners received, in call order, safe across threads. */
    public static class Received {

        private final List<Object> items = Collections.synchronizedList(new ArrayList<>());

        public void add(Object item) {
            items.add(item);
        }

        public List<Object> items() {
            synchronized (items) {
                return List.copyOf(items);
            }
        }
    }
}
