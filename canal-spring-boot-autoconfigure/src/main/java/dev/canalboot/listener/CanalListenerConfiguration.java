package dev.canalboot.listener;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Registers the {@code @CanalListener} infrastructure: the annotation processor and the endpoint
 * registry. Listener containers are then created for every {@code ChangeSource} bean, configured by a
 * {@link dev.canalboot.listener.container.ContainerSettings} bean if there is one.
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public class CanalListenerConfiguration {

    public static final String ANNOTATION_PROCESSOR_BEAN_NAME = "dev.canalboot.listener.internalCanalListenerAnnotationProcessor";

    public static final String REGISTRY_BEAN_NAME = "canalListenerEndpointRegistry";

    @Bean(ANNOTATION_PROCESSOR_BEAN_NAME)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static CanalListenerAnnotationBeanPostProcessor canalListenerAnnotationBeanPostProcessor() {
        return new CanalListenerAnnotationBeanPostProcessor();
    }

    @Bean(REGISTRY_BEAN_NAME)
    public CanalListenerEndpointRegistry canalListenerEndpointRegistry() {
        return new CanalListenerEndpointRegistry();
    }
}
