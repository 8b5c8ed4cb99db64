package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.CompositeContainerObserver;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives the listener containers every {@link ContainerObserver} bean (metrics, health's lag tracking,
 * tracing, the application's own): wraps the {@link ContainerSettings} bean's observer in a composite
 * with all of them, each once.
 */
class ContainerObserversPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<ContainerObserver> observers;

    ContainerObserversPostProcessor(ObjectProvider<ContainerObserver> observers) {
        this.observers = observers;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ContainerSettings settings) {
            List<ContainerObserver> all = new ArrayList<>();
            all.add(settings.observer());
            observers.orderedStream().forEach(all::add);
            return settings.withObserver(CompositeContainerObserver.of(all));
        }
        return bean;
    }
}
