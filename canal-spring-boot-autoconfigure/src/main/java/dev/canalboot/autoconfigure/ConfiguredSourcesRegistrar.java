package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.source.ChangeSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers one {@link ChangeSource} bean per configured source, named {@code canalSource.<name>}. The
 * source names are read from the Environment while bean definitions are registered; each source is
 * validated and created from the bound {@link CanalProperties} bean by the {@link ChangeSourceFactory} of
 * its type.
 */
class ConfiguredSourcesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    static final String BEAN_NAME_PREFIX = "canalSource.";

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Set<String> names = new LinkedHashSet<>(Binder.get(environment).bind(CanalProperties.PREFIX, CanalProperties.class)
                .orElseGet(CanalProperties::new).allSources().keySet());
        if (ConnectionDetailsOverride.present((ListableBeanFactory) beanFactory)) {
            names.add(CanalProperties.DEFAULT_SOURCE_NAME); // connection details alone make the default source
        }
        for (String name : names) {
            RootBeanDefinition definition = new RootBeanDefinition(ChangeSource.class);
            definition.setInstanceSupplier(() -> createSource(name));
            registry.registerBeanDefinition(BEAN_NAME_PREFIX + name, definition);
        }
    }

    private ChangeSource createSource(String name) {
        CanalProperties properties = beanFactory.getBean(CanalProperties.class);
        if (CanalProperties.DEFAULT_SOURCE_NAME.equals(name) && properties.getSources().get(name) == null) {
            // A connection details bean says where canal.source connects (set on the bound properties, so
            // that container settings, health and the endpoint see the same source).
            properties.setSource(ConnectionDetailsOverride.apply(properties.getSource(), (ListableBeanFactory) beanFactory));
        }
        SourceProperties source = properties.allSources().get(name);
        String prefix = prefixOf(properties, name);
        SourceType type = source.effectiveType();
        SourceTypeKeys.check(environment, name, prefix, type);
        SourcePropertiesValidator.validate(name, prefix, source);
        List<ChangeSourceFactory> factories = ((ListableBeanFactory) beanFactory)
                .getBeanProvider(ChangeSourceFactory.class).orderedStream()
                .filter(factory -> factory.type() == type).toList();
        if (factories.isEmpty()) {
            List<String> missing = missingLibraries(type);
            throw new InvalidCanalConfigurationException(prefix + ".type",
                    "Source '" + name + "' is of type " + type.name().toLowerCase() + " but no factory for that type "
                            + "is available" + (missing.isEmpty() ? "." : ": it needs " + String.join(" and ", missing)
                            + ", not on the class path."),
                    (missing.isEmpty() ? "Check that canal-spring-boot-autoconfigure is complete on the class path"
                            : "Add " + String.join(" and ", missing) + " to the application's dependencies")
                            + ", or set " + prefix + ".type to one of " + typesOf(((ListableBeanFactory) beanFactory)
                            .getBeansOfType(ChangeSourceFactory.class)) + ".");
        }
        return factories.get(0).create(name, source, properties);
    }

    /** The optional libraries a source type needs that are not on the class path (the starter's optional ones). */
    private List<String> missingLibraries(SourceType type) {
        if (type != SourceType.KAFKA) {
            return List.of();
        }
        ClassLoader loader = beanFactory instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader() : getClass().getClassLoader();
        List<String> missing = new ArrayList<>();
        if (!ClassUtils.isPresent(CanalKafkaAutoConfiguration.KAFKA_CONSUMER, loader)) {
            missing.add("org.apache.kafka:kafka-clients");
        }
        if (!ClassUtils.isPresent(CanalKafkaAutoConfiguration.JSON_READER, loader)) {
            missing.add("com.alibaba.fastjson2:fastjson2");
        }
        return missing;
    }

    private static List<String> typesOf(Map<String, ChangeSourceFactory> factories) {
        return factories.values().stream().map(f -> f.type().name().toLowerCase()).sorted().toList();
    }

    /** The property prefix a source is configured under. */
    static String prefixOf(CanalProperties properties, String name) {
        return properties.getSource() != null && CanalProperties.DEFAULT_SOURCE_NAME.equals(name)
                ? "canal.source" : "canal.sources." + name;
    }
}
