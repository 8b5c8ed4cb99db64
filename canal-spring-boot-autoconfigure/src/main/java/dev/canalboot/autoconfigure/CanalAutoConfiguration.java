package dev.canalboot.autoconfigure;

import dev.canalboot.listener.container.CompositeContainerObserver;
import dev.canalboot.autoconfigure.CanalProperties.ExecutorKind;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.checkpoint.JdbcCheckpointStore;
import dev.canalboot.listener.CanalListenerConfiguration;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import dev.canalboot.listener.container.DeadLetterHandler;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.ListenerErrorHandler;
import dev.canalboot.listener.container.ListenerExecutors;
import dev.canalboot.listener.container.RetryClassifier;
import dev.canalboot.listener.container.RetryPolicy;
import dev.canalboot.source.ChangeSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.task.TaskExecutor;

import javax.sql.DataSource;

/**
 * Change data capture for Spring Boot: {@code @CanalListener} processing, one {@link ChangeSource} bean per
 * configured source ({@code canal.source}, {@code canal.sources.*}), listener container settings, and the
 * checkpoint store. Every piece backs off when the application defines its own bean of that type;
 * {@code canal.enabled=false} turns all of it off.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CanalProperties.class)
@Import({CanalListenerConfiguration.class, CanalAutoConfiguration.ConfiguredSourcesConfiguration.class,
        CanalAutoConfiguration.CheckpointStoreConfiguration.class})
public class CanalAutoConfiguration {

    /** Name of the TaskExecutor bean listeners run on; define one with this name to replace it. */
    public static final String LISTENER_EXECUTOR_BEAN_NAME = "canalListenerExecutor";

    @Bean
    @ConditionalOnMissingBean
    ListenerErrorHandler canalListenerErrorHandler(CanalProperties properties,
                                                   ObjectProvider<DeadLetterHandler> deadLetterHandler) {
        return switch (properties.getListener().getErrorHandler()) {
            case STOP -> ListenerErrorHandler.stopContainer();
            case SKIP -> ListenerErrorHandler.skipAndLog();
            case DEAD_LETTER -> {
                DeadLetterHandler handler = deadLetterHandler.getIfUnique();
                if (handler == null) {
                    throw new InvalidCanalConfigurationException("canal.listener.error-handler",
                            "canal.listener.error-handler is dead-letter but there is no single DeadLetterHandler bean.",
                            "Define one bean of type dev.canalboot.listener.container.DeadLetterHandler, or set "
                                    + "canal.listener.error-handler to stop or skip.");
                }
                yield ListenerErrorHandler.deadLetter(handler);
            }
        };
    }

    @Bean(name = LISTENER_EXECUTOR_BEAN_NAME)
    @ConditionalOnMissingBean(name = LISTENER_EXECUTOR_BEAN_NAME)
    @ConditionalOnProperty(name = "canal.listener.executor", havingValue = "virtual-threads")
    TaskExecutor canalListenerExecutor() {
        if (!ListenerExecutors.virtualThreadsAvailable()) {
            throw new InvalidCanalConfigurationException("canal.listener.executor",
                    "canal.listener.executor is virtual-threads but this JVM is Java " + Runtime.version().feature()
                            + ", which has no virtual threads.",
                    "Run on Java 21 or later, or set canal.listener.executor to caller.");
        }
        return ListenerExecutors.virtualThreadsIfAvailable("canal-listener-");
    }

    /**
     * Container settings from {@code canal.listener.*}. Every {@link ContainerObserver} bean (metrics, lag
     * tracking, tracing, the application's own) is called, in {@code @Order} order; a {@code ContainerSettings}
     * bean of the application's own brings its own observer instead.
     */
    @Bean
    @ConditionalOnMissingBean
    ContainerSettings canalContainerSettings(CanalProperties properties, ListenerErrorHandler errorHandler,
                                             @Qualifier(LISTENER_EXECUTOR_BEAN_NAME) ObjectProvider<TaskExecutor> executor,
                                             ObjectProvider<ContainerObserver> observers) {
        CanalProperties.Listener listener = properties.getListener();
        RetryPolicy retryPolicy = retryPolicy("canal.listener.retry", listener.getRetry());
        RetryPolicy sourceRetryPolicy = retryPolicy("canal.listener.source-retry", listener.getSourceRetry());
        TaskExecutor taskExecutor = executor.getIfAvailable();
        if (taskExecutor == null && listener.getExecutor() != ExecutorKind.CALLER) {
            throw new IllegalStateException("No " + LISTENER_EXECUTOR_BEAN_NAME + " bean for canal.listener.executor="
                    + listener.getExecutor());
        }
        return ContainerSettings.defaults()
                .withRetryPolicy(retryPolicy)
                .withRetryClassifier(RetryClassifier.notRetrying(listener.getRetry().getNotRetryable()))
                .withSourceRetryPolicy(sourceRetryPolicy)
                .withErrorHandler(errorHandler)
                .withExecutor(taskExecutor)
                .withShutdownTimeout(listener.getShutdownTimeout())
                .withConcurrency(concurrency("canal.listener.concurrency", listener.getConcurrency(),
                        listener.getOrdering(), listener.getMaxInFlight()))
                .withObserver(CompositeContainerObserver.of(observers.orderedStream().toList()));
    }

    private static ListenerConcurrency concurrency(String property, int workers, ListenerConcurrency.Ordering ordering,
                                                   int maxInFlight) {
        try {
            return new ListenerConcurrency(workers, ordering, maxInFlight);
        } catch (IllegalArgumentException e) {
            throw new InvalidCanalConfigurationException(workers < 1 ? property : "canal.listener.max-in-flight",
                    e.getMessage() + ".", "Set " + (workers < 1 ? property : "canal.listener.max-in-flight")
                            + " to 1 or more (1 handles the rows of a source one at a time, in binlog order).");
        }
    }

    private static RetryPolicy retryPolicy(String prefix, CanalProperties.Retry retry) {
        try {
            return new RetryPolicy(retry.getMaxAttempts(), retry.getInitialInterval(), retry.getMultiplier(),
                    retry.getMaxInterval());
        } catch (IllegalArgumentException e) {
            throw new InvalidCanalConfigurationException(prefix, e.getMessage() + ".",
                    "Correct " + prefix + ": max-attempts at least 1, multiplier at least 1, "
                            + "max-interval at least initial-interval.");
        }
    }

    /**
     * Per configured source: its fetch-timeout is the container's poll timeout, and its start-paused and
     * auto-startup apply to its container.
     */
    @Bean
    ContainerSettingsCustomizer canalSourceContainerSettingsCustomizer(CanalProperties properties) {
        return (sourceName, settings) -> {
            SourceProperties source = properties.allSources().get(sourceName);
            if (source == null) {
                return settings; // a ChangeSource bean of the application's own
            }
            if (source.getConcurrency() != null) {
                String property = properties.getSource() == source ? "canal.source.concurrency"
                        : "canal.sources." + sourceName + ".concurrency";
                ListenerConcurrency shared = settings.concurrency();
                settings = settings.withConcurrency(concurrency(property, source.getConcurrency(), shared.ordering(),
                        shared.maxInFlight()));
            }
            return settings.withPollTimeout(source.getFetchTimeout())
                    .withStartPaused(source.isStartPaused())
                    .withAutoStartup(settings.autoStartup() && source.isAutoStartup());
        };
    }

    /**
     * Converts column values for row to POJO mapping: Spring Boot's conversions plus the application's
     * Converter, GenericConverter and Formatter beans. Not a candidate for injection by type, so it does
     * not compete with the application's ConversionService beans. Define a bean named
     * {@value CanalListenerConfiguration#CONVERSION_SERVICE_BEAN_NAME} to replace it.
     */
    @Bean(name = CanalListenerConfiguration.CONVERSION_SERVICE_BEAN_NAME, defaultCandidate = false)
    @ConditionalOnMissingBean(name = CanalListenerConfiguration.CONVERSION_SERVICE_BEAN_NAME)
    static ConversionService canalConversionService(ListableBeanFactory beanFactory) {
        ApplicationConversionService conversionService = new ApplicationConversionService();
        ApplicationConversionService.addBeans(conversionService, beanFactory);
        return conversionService;
    }

    /** Creates binlog sources; a user ChangeSourceFactory of type BINLOG takes precedence. */
    @Bean
    ChangeSourceFactory canalBinlogSourceFactory(ObjectProvider<CheckpointStore> checkpointStore,
                                                 ObjectProvider<SslBundles> sslBundles) {
        return new BinlogSourceFactory(checkpointStore, sslBundles);
    }

    /** Creates Canal sources; a user ChangeSourceFactory of type CANAL takes precedence. */
    @Bean
    ChangeSourceFactory canalCanalSourceFactory() {
        return new CanalSourceFactory();
    }

    /**
     * Fails start-up when a source's start failed for a reason retrying cannot fix ({@code canal.fail-fast=false}
     * lets the application start with the source FAILED), and warns of listener table patterns matching no table.
     */
    @Bean
    SourceStartupCheck canalSourceStartupCheck(CanalListenerEndpointRegistry registry, CanalProperties properties) {
        return new SourceStartupCheck(registry, properties);
    }

    /** Fails start-up when there are listeners but no source to feed them. */
    @Bean
    ListenersWithoutSourceCheck canalListenersWithoutSourceCheck(ListableBeanFactory beanFactory,
                                                                    ObjectProvider<CanalListenerEndpointRegistry> registry) {
        return new ListenersWithoutSourceCheck(beanFactory, registry);
    }

    /** One ChangeSource bean per configured source, unless the application defines its own ChangeSource beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ChangeSource.class)
    @Import(ConfiguredSourcesRegistrar.class)
    static class ConfiguredSourcesConfiguration {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(CheckpointStore.class)
    static class CheckpointStoreConfiguration {

        @Bean
        @ConditionalOnProperty(name = "canal.checkpoint.store", havingValue = "file", matchIfMissing = true)
        FileCheckpointStore canalFileCheckpointStore(CanalProperties properties) {
            return new FileCheckpointStore(properties.getCheckpoint().getFile().getDirectory());
        }

        @Bean
        @ConditionalOnProperty(name = "canal.checkpoint.store", havingValue = "jdbc")
        JdbcCheckpointStore canalJdbcCheckpointStore(CanalProperties properties, ObjectProvider<DataSource> dataSource) {
            DataSource ds = dataSource.getIfUnique();
            if (ds == null) {
                throw new InvalidCanalConfigurationException("canal.checkpoint.store",
                        "canal.checkpoint.store is jdbc but there is no single DataSource bean.",
                        "Configure a DataSource (spring.datasource.url with a JDBC driver on the class path) or "
                                + "set canal.checkpoint.store to file.");
            }
            return new JdbcCheckpointStore(ds, properties.getCheckpoint().getJdbc().getTable());
        }
    }
}
