package dev.canalboot.listener;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeType;
import dev.canalboot.source.ChangeSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds {@link CanalListener} methods and classes on beans, checks them and turns them into
 * {@link ListenerEndpoint}s; once all singletons exist, hands them to the
 * {@link CanalListenerEndpointRegistry}, which creates one container per {@link ChangeSource} bean.
 * Declaration errors fail start-up with a {@link ListenerDeclarationException}.
 */
public class CanalListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware,
        SmartInitializingSingleton, Ordered {

    private ConfigurableListableBeanFactory beanFactory;
    private Supplier<ConversionService> conversionService;
    private final List<ListenerEndpoint> endpoints = new ArrayList<>();
    private volatile boolean initialized;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        if (!(beanFactory instanceof ConfigurableListableBeanFactory listable)) {
            throw new IllegalStateException("@CanalListener processing needs a ConfigurableListableBeanFactory, got "
                    + beanFactory.getClass().getName());
        }
        this.beanFactory = listable;
        // Looked up on first use: a ConversionService bean may not exist yet while this processor is created.
        // A bean named canalConversionService wins: web applications have several ConversionService beans.
        this.conversionService = SingletonSupplier.of(() -> listable.containsBean(
                CanalListenerConfiguration.CONVERSION_SERVICE_BEAN_NAME)
                ? listable.getBean(CanalListenerConfiguration.CONVERSION_SERVICE_BEAN_NAME, ConversionService.class)
                : listable.getBeanProvider(ConversionService.class).getIfUnique(DefaultConversionService::getSharedInstance));
    }

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!AnnotationUtils.isCandidateClass(targetClass, CanalListener.class)) {
            return bean;
        }
        List<ListenerEndpoint> found = new ArrayList<>();
        CanalListener classLevel = AnnotatedElementUtils.findMergedAnnotation(targetClass, CanalListener.class);
        if (classLevel != null) {
            EndpointInvoker invoker = RowHandlerEndpointInvoker.create(bean, targetClass, beanName, conversionService);
            found.add(endpoint(classLevel, beanName, invoker));
        }
        Map<Method, CanalListener> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<CanalListener>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, CanalListener.class));
        methods.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Method, CanalListener> e) -> e.getKey().getName())
                        .thenComparing(e -> e.getKey().toGenericString()))
                .forEach(entry -> {
                    Method method = entry.getKey();
                    String listener = beanName + "#" + method.getName();
                    Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                    EndpointInvoker invoker = MethodEndpointInvoker.create(bean, method, invocable, listener,
                            conversionService);
                    found.add(endpoint(entry.getValue(), listener, invoker));
                });
        if (!found.isEmpty()) {
            if (initialized) {
                throw new ListenerDeclarationException(found.get(0).listener(), "the bean was created after start-up "
                        + "(lazy or non-singleton); listener beans must be eagerly created singletons");
            }
            synchronized (endpoints) {
                endpoints.addAll(found);
            }
        }
        return bean;
    }

    private ListenerEndpoint endpoint(CanalListener annotation, String listener, EndpointInvoker invoker) {
        String id = resolve(annotation.id(), "id", listener).trim();
        List<TablePattern> tables = new ArrayList<>();
        for (String value : annotation.table()) {
            String resolved = resolve(value, "table", listener).trim();
            List<String> patterns = resolved.startsWith(TablePattern.REGEX_PREFIX) ? List.of(resolved)
                    : List.of(resolved.split(","));
            for (String pattern : patterns) {
                try {
                    tables.add(TablePattern.parse(pattern));
                } catch (IllegalArgumentException e) {
                    throw new ListenerDeclarationException(listener, "bad table: " + e.getMessage(), e);
                }
            }
        }
        if (tables.isEmpty()) {
            throw new ListenerDeclarationException(listener, "declares no table; set table = \"schema.table\"");
        }
        Set<ChangeType> events = EnumSet.noneOf(ChangeType.class);
        events.addAll(List.of(annotation.events()));
        String eventTypes = resolve(annotation.eventTypes(), "eventTypes", listener);
        for (String name : eventTypes.split(",")) {
            if (!name.isBlank()) {
                try {
                    events.add(ChangeType.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ListenerDeclarationException(listener, "unknown event type '" + name.trim()
                            + "'; use " + List.of(ChangeType.values()));
                }
            }
        }
        String source = resolve(annotation.source(), "source", listener).trim();
        return new ListenerEndpoint(id.isEmpty() ? listener : id, listener, tables, events, source, invoker);
    }

    private String resolve(String value, String attribute, String listener) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            String resolved = beanFactory.resolveEmbeddedValue(value);
            if (resolved != null && resolved.contains("${")) {
                // A plain context resolves leniently; an unresolved placeholder is never a usable value.
                throw new IllegalArgumentException("no value for a placeholder in '" + resolved + "'");
            }
            return resolved == null ? "" : resolved;
        } catch (IllegalArgumentException e) {
            throw new ListenerDeclarationException(listener, "cannot resolve " + attribute + " '" + value + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        initialized = true;
        conversionService.get(); // resolve now, not on a container thread while events flow
        CanalListenerEndpointRegistry registry = beanFactory.getBean(CanalListenerEndpointRegistry.class);
        Map<String, ChangeSource> sources = beanFactory.getBeansOfType(ChangeSource.class, false, true);
        ContainerSettings settings = beanFactory.getBeanProvider(ContainerSettings.class)
                .getIfAvailable(ContainerSettings::defaults);
        List<ListenerEndpoint> all = new ArrayList<>();
        synchronized (endpoints) {
            all.addAll(endpoints);
        }
        // Endpoints declared in code (e.g. the Kafka relay's) join the annotated ones.
        beanFactory.getBeanProvider(ListenerEndpointProvider.class).orderedStream()
                .forEach(provider -> all.addAll(provider.listenerEndpoints()));
        List<ContainerSettingsCustomizer> customizers = beanFactory.getBeanProvider(ContainerSettingsCustomizer.class)
                .orderedStream().toList();
        registry.createContainers(all, List.copyOf(sources.values()), settings, (source, shared) -> {
            ContainerSettings customized = shared;
            for (ContainerSettingsCustomizer customizer : customizers) {
                customized = customizer.customize(source, customized);
            }
            return customized;
        });
    }
}
