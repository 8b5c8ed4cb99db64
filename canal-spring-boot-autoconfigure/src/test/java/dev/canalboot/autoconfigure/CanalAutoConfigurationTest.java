package dev.canalboot.autoconfigure;

import dev.canalboot.testsupport.Events;
import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.checkpoint.JdbcCheckpointStore;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalColumn;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.listener.container.DeadLetterHandler;
import dev.canalboot.listener.container.ListenerErrorHandler;
import dev.canalboot.listener.container.ListenerErrorHandler.Action;
import dev.canalboot.listener.container.ListenerFailure;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.ChangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class CanalAutoConfigurationTest {

    @TempDir
    Path checkpoints;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                .withPropertyValues("canal.checkpoint.file.directory=" + checkpoints);
    }

    private static final String[] BINLOG_SOURCE = {"canal.source.host=db1", "canal.source.username=repl",
            "canal.source.password=secret"};

    // ------------------------------------------------------------------ enabled / defaults

    @Test
    void defaultsProvideListenerInfrastructureAndFileCheckpointStore() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(CanalListenerEndpointRegistry.class);
            assertThat(context).hasSingleBean(ContainerSettings.class);
            assertThat(context).hasSingleBean(ListenerErrorHandler.class);
            assertThat(context).doesNotHaveBean(ChangeSource.class);
            assertThat(context).getBean(CheckpointStore.class).isInstanceOf(FileCheckpointStore.class);
            assertThat(((FileCheckpointStore) context.getBean(CheckpointStore.class)).directory())
                    .isEqualTo(checkpoints.toAbsolutePath().normalize());
            ContainerSettings settings = context.getBean(ContainerSettings.class);
            assertThat(settings.retryPolicy().maxAttempts()).isEqualTo(3);
            assertThat(settings.retryPolicy().initialInterval()).isEqualTo(Duration.ofMillis(200));
            assertThat(settings.retryPolicy().maxInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.executor()).isNull();
            assertThat(settings.observer()).isSameAs(ContainerObserver.NOOP);
        });
    }

    @Test
    void disabledTurnsEverythingOff() {
        runner().withPropertyValues("canal.enabled=false").withPropertyValues(BINLOG_SOURCE)
                .withUserConfiguration(FactoryConfig.class, Listeners.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(CanalProperties.class);
                    assertThat(context).doesNotHaveBean(CanalListenerEndpointRegistry.class);
                    assertThat(context).doesNotHaveBean(ChangeSource.class);
                    assertThat(context).doesNotHaveBean(CheckpointStore.class);
                    assertThat(context).doesNotHaveBean(ContainerSettings.class);
                });
    }

    @Test
    void retryAndShutdownPropertiesReachContainerSettings() {
        runner().withPropertyValues("canal.listener.retry.max-attempts=5", "canal.listener.retry.initial-interval=50ms",
                        "canal.listener.retry.multiplier=3", "canal.listener.retry.max-interval=2s",
                        "canal.listener.shutdown-timeout=7s")
                .run(context -> {
                    ContainerSettings settings = context.getBean(ContainerSettings.class);
                    assertThat(settings.retryPolicy().maxAttempts()).isEqualTo(5);
                    assertThat(settings.retryPolicy().initialInterval()).isEqualTo(Duration.ofMillis(50));
                    assertThat(settings.retryPolicy().multiplier()).isEqualTo(3.0);
                    assertThat(settings.retryPolicy().maxInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(settings.sourceRetryPolicy().maxAttempts()).as("polls have their own policy").isEqualTo(3);
                });
    }

    @Test
    void sourceRetryAndNotRetryablePropertiesReachContainerSettings() {
        runner().withPropertyValues("canal.listener.source-retry.max-attempts=7",
                        "canal.listener.source-retry.initial-interval=3s",
                        "canal.listener.retry.not-retryable=java.lang.IllegalArgumentException")
                .run(context -> {
                    ContainerSettings settings = context.getBean(ContainerSettings.class);
                    assertThat(settings.sourceRetryPolicy().maxAttempts()).isEqualTo(7);
                    assertThat(settings.sourceRetryPolicy().initialInterval()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(settings.retryPolicy().maxAttempts()).isEqualTo(3);
                    assertThat(settings.retryClassifier().isRetryable(new IllegalArgumentException("x"))).isFalse();
                    assertThat(settings.retryClassifier().isRetryable(new IllegalStateException("x"))).isTrue();
                });
    }

    @Test
    void concurrencyPropertiesReachContainerSettings() {
        runner().withPropertyValues("canal.listener.concurrency=8", "canal.listener.ordering=table",
                        "canal.listener.max-in-flight=5")
                .run(context -> {
                    ListenerConcurrency concurrency = context.getBean(ContainerSettings.class).concurrency();
                    assertThat(concurrency.workers()).isEqualTo(8);
                    assertThat(concurrency.ordering()).isEqualTo(ListenerConcurrency.Ordering.TABLE);
                    assertThat(concurrency.maxInFlight()).isEqualTo(5);
                });
        runner().run(context -> assertThat(context.getBean(ContainerSettings.class).concurrency())
                .as("one worker by default: the direct path").isEqualTo(ListenerConcurrency.SERIAL));
    }

    @Test
    void perSourceConcurrencyOverridesTheSharedOne() {
        runner().withPropertyValues("canal.listener.concurrency=2", "canal.listener.ordering=none",
                        "canal.sources.shop.host=db1", "canal.sources.shop.username=u",
                        "canal.sources.shop.password=p", "canal.sources.shop.concurrency=16",
                        "canal.sources.crm.host=db2", "canal.sources.crm.username=u", "canal.sources.crm.password=p")
                .run(context -> {
                    ContainerSettings shared = context.getBean(ContainerSettings.class);
                    ContainerSettingsCustomizer perSource = context.getBean(ContainerSettingsCustomizer.class);
                    assertThat(perSource.customize("shop", shared).concurrency())
                            .isEqualTo(new ListenerConcurrency(16, ListenerConcurrency.Ordering.NONE, 16));
                    assertThat(perSource.customize("crm", shared).concurrency().workers()).isEqualTo(2);
                });
    }

    @Test
    void invalidConcurrencyNamesTheProperty() {
        runner().withPropertyValues("canal.listener.concurrency=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("canal.listener.concurrency"));
    }

    @Test
    void invalidSourceRetryNamesItsPrefix() {
        runner().withPropertyValues("canal.listener.source-retry.max-attempts=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("canal.listener.source-retry"));
    }

    @Test
    void userContainerSettingsReplaceTheAutoConfiguredOnes() {
        ContainerSettings own = ContainerSettings.defaults().withShutdownTimeout(Duration.ofSeconds(1));
        runner().withBean(ContainerSettings.class, () -> own)
                .run(context -> assertThat(context).getBean(ContainerSettings.class).isSameAs(own));
    }

    @Test
    void uniqueContainerObserverBeanIsUsed() {
        ContainerObserver observer = new ContainerObserver() {
        };
        runner().withBean(ContainerObserver.class, () -> observer)
                .run(context -> assertThat(context.getBean(ContainerSettings.class).observer()).isSameAs(observer));
    }

    @Test
    void everyContainerObserverBeanIsCalledInOrder() {
        OrderedObservers.CALLS.clear();
        runner().withUserConfiguration(OrderedObservers.class).run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean(ContainerSettings.class).observer()
                    .stateChanged("main", ContainerState.STOPPED, ContainerState.STARTING);
            assertThat(OrderedObservers.CALLS).containsExactly("first", "second", "unordered");
        });
    }

    /** Declared out of order: {@code @Order} decides, beans without one come last. */
    @Configuration(proxyBeanMethods = false)
    static class OrderedObservers {

        static final List<String> CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        ContainerObserver unorderedObserver() {
            return recording("unordered");
        }

        @Bean
        @Order(2)
        ContainerObserver secondObserver() {
            return recording("second");
        }

        @Bean
        @Order(1)
        ContainerObserver firstObserver() {
            return recording("first");
        }

        static ContainerObserver recording(String name) {
            return new ContainerObserver() {
                @Override
                public void stateChanged(String source, ContainerState from, ContainerState to) {
                    CALLS.add(name);
                }
            };
        }
    }

    // ------------------------------------------------------------------ error handler

    @Test
    void errorHandlerStopIsTheDefault() {
        runner().run(context -> assertThat(context.getBean(ListenerErrorHandler.class).handle(failure()))
                .isEqualTo(Action.STOP));
    }

    @Test
    void errorHandlerSkipContinues() {
        runner().withPropertyValues("canal.listener.error-handler=skip")
                .run(context -> assertThat(context.getBean(ListenerErrorHandler.class).handle(failure()))
                        .isEqualTo(Action.CONTINUE));
    }

    @Test
    void errorHandlerDeadLetterHandsTheFailureToTheDeadLetterBean() {
        List<ListenerFailure> received = new ArrayList<>();
        runner().withPropertyValues("canal.listener.error-handler=dead-letter")
                .withBean(DeadLetterHandler.class, () -> received::add)
                .run(context -> {
                    ListenerFailure failure = failure();
                    assertThat(context.getBean(ListenerErrorHandler.class).handle(failure)).isEqualTo(Action.CONTINUE);
                    assertThat(received).containsExactly(failure);
                    assertThat(context.getBean(ContainerSettings.class).errorHandler())
                            .isSameAs(context.getBean(ListenerErrorHandler.class));
                });
    }

    @Test
    void errorHandlerDeadLetterWithoutHandlerBeanFailsWithExplanation() {
        runner().withPropertyValues("canal.listener.error-handler=dead-letter").run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("canal.listener.error-handler")
                    .contains("no single DeadLetterHandler bean");
            assertThat(analysis.getAction()).contains("DeadLetterHandler").contains("stop or skip");
        });
    }

    @Test
    void userErrorHandlerReplacesTheConfiguredOne() {
        ListenerErrorHandler own = failure -> Action.CONTINUE;
        runner().withPropertyValues("canal.listener.error-handler=dead-letter")
                .withBean(ListenerErrorHandler.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ContainerSettings.class).errorHandler()).isSameAs(own);
                });
    }

    private static ListenerFailure failure() {
        ListenerEndpoint endpoint = new ListenerEndpoint("orders", "bean#onOrder",
                List.of(TablePattern.parse("shop.orders")), Set.of(), "", null);
        return new ListenerFailure("default", endpoint, List.of(), new IllegalStateException("boom"), 3);
    }

    // ------------------------------------------------------------------ executor

    @Test
    void executorBeanNamedCanalListenerExecutorIsUsed() {
        TaskExecutor own = new SyncTaskExecutor();
        runner().withBean(CanalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME, TaskExecutor.class, () -> own)
                .run(context -> assertThat(context.getBean(ContainerSettings.class).executor()).isSameAs(own));
    }

    @Test
    void otherTaskExecutorBeansAreNotTakenForListeners() {
        runner().withBean("applicationTaskExecutor", TaskExecutor.class, SyncTaskExecutor::new)
                .run(context -> assertThat(context.getBean(ContainerSettings.class).executor()).isNull());
    }

    @Test
    void virtualThreadsExecutor() {
        runner().withPropertyValues("canal.listener.executor=virtual-threads").run(context -> {
            if (Runtime.version().feature() >= 21) {
                assertThat(context.getBean(ContainerSettings.class).executor()).isNotNull();
            } else {
                FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("canal.listener.executor")
                        .contains("Java " + Runtime.version().feature());
                assertThat(analysis.getAction()).contains("Java 21").contains("caller");
            }
        });
    }

    // ------------------------------------------------------------------ checkpoint store

    @Test
    void checkpointStoreNoneRegistersNoStore() {
        runner().withPropertyValues("canal.checkpoint.store=none")
                .run(context -> assertThat(context).doesNotHaveBean(CheckpointStore.class));
    }

    @Test
    void checkpointStoreJdbcUsesTheDataSourceAndTable() {
        runner().withPropertyValues("canal.checkpoint.store=jdbc", "canal.checkpoint.jdbc.table=cdc.positions")
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> {
                    assertThat(context).getBean(CheckpointStore.class).isInstanceOf(JdbcCheckpointStore.class);
                    assertThat(((JdbcCheckpointStore) context.getBean(CheckpointStore.class)).table())
                            .isEqualTo("cdc.positions");
                });
    }

    @Test
    void checkpointStoreJdbcWithoutDataSourceFailsWithExplanation() {
        runner().withPropertyValues("canal.checkpoint.store=jdbc").run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'canal.checkpoint.store'").contains("no single DataSource");
            assertThat(analysis.getAction()).contains("spring.datasource.url").contains("file");
        });
    }

    @Test
    void userCheckpointStoreReplacesTheConfiguredOne() {
        CheckpointStore own = new CheckpointStore() {
            @Override
            public Optional<Checkpoint> load(String source) {
                return Optional.empty();
            }

            @Override
            public void save(Checkpoint checkpoint) {
            }

            @Override
            public void delete(String source) {
            }
        };
        runner().withPropertyValues("canal.checkpoint.store=jdbc").withBean(CheckpointStore.class, () -> own)
                .run(context -> assertThat(context).getBean(CheckpointStore.class).isSameAs(own));
    }

    @Test
    void unusableCheckpointDirectoryFailsNamingIt() throws Exception {
        Path file = java.nio.file.Files.createFile(checkpoints.resolve("not-a-directory"));
        runner().withPropertyValues("canal.checkpoint.file.directory=" + file).run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("checkpoint store cannot be used").contains(file.toString())
                    .contains("set canal.checkpoint.file.directory to a writable directory");
            assertThat(analysis.getAction()).contains("canal.checkpoint.store=none");
        });
    }

    // ------------------------------------------------------------------ sources

    @Test
    void shorthandSourceBecomesOneSourceNamedDefault() {
        runner().withPropertyValues(BINLOG_SOURCE).withUserConfiguration(FactoryConfig.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ChangeSource.class);
            ChangeSource source = context.getBean("canalSource.default", ChangeSource.class);
            assertThat(source.name()).isEqualTo("default");
            SourceProperties received = context.getBean(FactoryConfig.class).received.get("default");
            assertThat(received.getHost()).isEqualTo("db1");
            assertThat(received.getUsername()).isEqualTo("repl");
        });
    }

    @Test
    void namedSourcesBecomeOneBeanEachWithInferredTypes() {
        runner().withPropertyValues("canal.sources.orders.host=db1", "canal.sources.orders.username=u",
                        "canal.sources.orders.password=p",
                        "canal.sources.legacy.addresses=canal1:11111,canal2:11111",
                        "canal.sources.legacy.destination=example")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(ChangeSource.class)).containsOnlyKeys("canalSource.orders",
                            "canalSource.legacy");
                    SourceProperties orders = context.getBean(FactoryConfig.class).received.get("orders");
                    SourceProperties legacy = context.getBean(FactoryConfig.class).received.get("legacy");
                    assertThat(orders.effectiveType()).isEqualTo(SourceType.BINLOG);
                    assertThat(legacy.effectiveType()).isEqualTo(SourceType.CANAL);
                    assertThat(legacy.getAddresses()).containsExactly("canal1:11111", "canal2:11111");
                    assertThat(context.getBean(FactoryConfig.class).created).containsExactly("binlog:orders",
                            "canal:legacy");
                });
    }

    @Test
    void userChangeSourceBeanReplacesConfiguredSources() {
        InMemoryChangeSource own = new InMemoryChangeSource("mine");
        runner().withPropertyValues(BINLOG_SOURCE).withUserConfiguration(FactoryConfig.class)
                .withBean(ChangeSource.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(ChangeSource.class).isSameAs(own);
                    assertThat(context.getBean(FactoryConfig.class).created).isEmpty();
                });
    }

    @Test
    void listenersReceiveChangesOfAConfiguredSource() {
        runner().withPropertyValues(BINLOG_SOURCE).withUserConfiguration(FactoryConfig.class, Listeners.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CanalListenerEndpointRegistry registry = context.getBean(CanalListenerEndpointRegistry.class);
                    assertThat(registry.getListenerContainer("default")).isNotNull();
                    InMemoryChangeSource source = (InMemoryChangeSource) context.getBean(ChangeSource.class);
                    RowChange insert = Events.idInsert("default", "shop", "orders", 42L);
                    ChangeBatch batch = source.offer(insert);
                    assertThat(context.getBean(Listeners.class).received.poll(30, TimeUnit.SECONDS)).isSameAs(insert);
                    source.awaitAcked(batch);
                    assertThat(source.starts()).isEqualTo(1);
                });
    }

    @Test
    void sameNameAsShorthandAndNamedSourceFails() {
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.sources.default.host=db2",
                        "canal.sources.default.username=u", "canal.sources.default.password=p")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.sources.default'")
                            .contains("both as canal.source and as canal.sources.default");
                });
    }

    @Test
    void perSourcePropertiesShapeEachSourcesContainer() {
        runner().withPropertyValues("canal.sources.a.host=db1", "canal.sources.a.username=u", "canal.sources.a.password=p",
                        "canal.sources.a.fetch-timeout=250ms", "canal.sources.a.start-paused=true",
                        "canal.sources.b.host=db2", "canal.sources.b.username=u", "canal.sources.b.password=p",
                        "canal.sources.b.auto-startup=false")
                .withUserConfiguration(FactoryConfig.class, ListenersOfAAndB.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CanalListenerEndpointRegistry registry = context.getBean(CanalListenerEndpointRegistry.class);
                    CanalListenerContainer a = registry.getListenerContainer("a");
                    CanalListenerContainer b = registry.getListenerContainer("b");
                    assertThat(a.getSettings().pollTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(a.getSettings().startPaused()).isTrue();
                    assertThat(a.isRunning()).isTrue();
                    assertThat(a.isPaused()).isTrue();
                    assertThat(b.getSettings().pollTimeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(b.getSettings().startPaused()).isFalse();
                    assertThat(b.isAutoStartup()).isFalse();
                    assertThat(b.isRunning()).as("auto-startup=false: not started with the context").isFalse();
                    assertThat(registry.isRunning()).isTrue();
                });
    }

    @Test
    void rowMappingUsesTheApplicationsConverterBeans() {
        InMemoryChangeSource source = new InMemoryChangeSource("mine");
        runner().withBean(ChangeSource.class, () -> source)
                .withBean(SkuConverter.class, SkuConverter::new)
                .withUserConfiguration(SkuListener.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    source.offer(Events.idInsert("mine", "shop", "items", 7));
                    assertThat(context.getBean(SkuListener.class).received.poll(30, TimeUnit.SECONDS))
                            .isEqualTo(new Item(new Sku("SKU-7")));
                });
    }

    @Test
    void userCanalConversionServiceReplacesTheDefault() {
        InMemoryChangeSource source = new InMemoryChangeSource("mine");
        DefaultConversionService own = new DefaultConversionService();
        own.addConverter(Long.class, Sku.class, id -> new Sku("OWN-" + id));
        runner().withBean(ChangeSource.class, () -> source)
                .withBean("canalConversionService", ConversionService.class, () -> own)
                .withUserConfiguration(SkuListener.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    source.offer(Events.idInsert("mine", "shop", "items", 8));
                    assertThat(context.getBean(SkuListener.class).received.poll(30, TimeUnit.SECONDS))
                            .isEqualTo(new Item(new Sku("OWN-8")));
                });
    }

    @Test
    void canalConversionServiceDoesNotCompeteForInjectionByType() {
        ConversionService applications = new DefaultConversionService();
        runner().withBean("mvcConversionService", ConversionService.class, () -> applications)
                .run(context -> {
                    assertThat(context).hasBean("canalConversionService");
                    assertThat(context.getBeanProvider(ConversionService.class).getIfUnique()).isSameAs(applications);
                });
    }

    // ------------------------------------------------------------------ failure analysis

    @Test
    void listenersWithoutAnySourceFail() {
        runner().withUserConfiguration(Listeners.class).run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("no source is configured").contains("Listeners#onOrder");
            assertThat(analysis.getAction()).contains("canal.source.host").contains("canal.source.username")
                    .contains("canal.source.password").contains("canal.source.addresses")
                    .contains("canal.source.destination");
        });
    }

    @Test
    void unknownTypeFailsListingTheTypes() {
        runner().withPropertyValues("canal.sources.orders.type=rocketmq", "canal.sources.orders.host=db1")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("canal.sources.orders.type").contains("rocketmq");
                    assertThat(analysis.getAction()).contains("BINLOG").contains("CANAL").contains("KAFKA");
                });
    }

    @Test
    void everySnapshotModeBindsWithoutTablesAndABadChunkSizeOrACanalSourceFailsNamingTheProperty() {
        for (String mode : List.of("initial", "initial-only", "when-needed")) {
            // no snapshot.tables: the source's listeners name them
            runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.snapshot.mode=" + mode)
                    .withUserConfiguration(FactoryConfig.class)
                    .run(context -> assertThat(context).hasNotFailed());
        }
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.snapshot.mode=initial",
                        "canal.source.snapshot.chunk-size=0")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> assertThat(FailureAnalysisSupport.analyze(context.getStartupFailure()).getDescription())
                        .contains("'canal.source.snapshot.chunk-size'").contains("not positive"));
        runner().withPropertyValues("canal.sources.legacy.addresses=canal1:11111",
                        "canal.sources.legacy.destination=example", "canal.sources.legacy.snapshot.mode=initial",
                        "canal.sources.legacy.snapshot.tables=shop.orders")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> assertThat(FailureAnalysisSupport.analyze(context.getStartupFailure()).getDescription())
                        .contains("'canal.sources.legacy.snapshot'").contains("of type canal"));
    }

    @Test
    void badPortFailsNamingTheProperty() {
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.port=70000")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.source.port'")
                            .contains("port 70000 is outside 1..65535");
                    assertThat(analysis.getAction()).contains("Set canal.source.port");
                });
    }

    @Test
    void badCanalAddressPortFailsNamingTheProperty() {
        runner().withPropertyValues("canal.sources.legacy.addresses=canal1:11111,canal2:eleven",
                        "canal.sources.legacy.destination=example")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.sources.legacy.addresses'")
                            .contains("canal2:eleven");
                    assertThat(analysis.getAction()).contains("host:port");
                });
    }

    @Test
    void missingPasswordOfBinlogSourceFails() {
        runner().withPropertyValues("canal.source.host=db1", "canal.source.username=repl")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.source.password'")
                            .contains("Binlog source 'default' (repl@db1:3306) has no password");
                    assertThat(analysis.getAction()).contains("Set canal.source.password");
                });
    }

    @Test
    void missingDestinationOfCanalSourceFails() {
        runner().withPropertyValues("canal.sources.legacy.type=canal", "canal.sources.legacy.addresses=canal1:11111")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.sources.legacy.destination'")
                            .contains("Canal source 'legacy' (canal1:11111) has no destination");
                    assertThat(analysis.getAction()).contains("Set canal.sources.legacy.destination");
                });
    }

    @Test
    void startModePositionWithoutFileFails() {
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.start.mode=position")
                .withUserConfiguration(FactoryConfig.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.source.start.file'");
                });
    }

    @Test
    void listenerNamingAnUnknownSourceFails() {
        runner().withPropertyValues(BINLOG_SOURCE).withUserConfiguration(FactoryConfig.class, UnknownSourceListener.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("UnknownSourceListener#onOrder")
                            .contains("source 'billing' is unknown").contains("[default]");
                    assertThat(analysis.getAction()).contains("canal.sources.<name>");
                });
    }

    @Test
    void misdeclaredListenerFailsNamingIt() {
        runner().withPropertyValues(BINLOG_SOURCE).withUserConfiguration(FactoryConfig.class, BadEventTypeListener.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("BadEventTypeListener#onOrder")
                            .contains("unknown event type 'UPSERT'");
                    assertThat(analysis.getAction()).contains("Correct the declaration of")
                            .contains("BadEventTypeListener#onOrder");
                });
    }

    // ------------------------------------------------------------------ fixtures

    /** Creates fake sources for both types and records what it created. */
    @Configuration(proxyBeanMethods = false)
    static class FactoryConfig {

        final List<String> created = new ArrayList<>();
        /** The properties each source was created from, by name. */
        final java.util.Map<String, SourceProperties> received = new java.util.concurrent.ConcurrentHashMap<>();

        @Bean
        ChangeSourceFactory binlogFactory() {
            return factory(SourceType.BINLOG);
        }

        @Bean
        ChangeSourceFactory canalFactory() {
            return factory(SourceType.CANAL);
        }

        private ChangeSourceFactory factory(SourceType type) {
            return new ChangeSourceFactory() {
                @Override
                public SourceType type() {
                    return type;
                }

                @Override
                public ChangeSource create(String name, SourceProperties source, CanalProperties properties) {
                    created.add(type.name().toLowerCase() + ":" + name);
                    received.put(name, source);
                    return new InMemoryChangeSource(name);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        final BlockingQueue<RowChange> received = new LinkedBlockingQueue<>();

        @CanalListener(table = "shop.orders")
        void onOrder(RowChange change) {
            received.add(change);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenersOfAAndB {

        @CanalListener(table = "shop.orders", source = "a")
        void onA(RowChange change) {
        }

        @CanalListener(table = "shop.orders", source = "b")
        void onB(RowChange change) {
        }
    }

    record Sku(String code) {
    }

    static class SkuConverter implements Converter<Long, Sku> {
        @Override
        public Sku convert(Long id) {
            return new Sku("SKU-" + id);
        }
    }

    /** Column id (a Long) into a property of a type only a converter knows. */
    record Item(@CanalColumn("id") Sku sku) {
    }

    @Configuration(proxyBeanMethods = false)
    static class SkuListener {
        final BlockingQueue<Item> received = new LinkedBlockingQueue<>();

        @CanalListener(table = "shop.items")
        void onItem(Item item) {
            received.add(item);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadEventTypeListener {

        @CanalListener(table = "shop.orders", eventTypes = "INSERT,UPSERT")
        void onOrder(RowChange change) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnknownSourceListener {

        @CanalListener(table = "shop.orders", source = "billing")
        void onOrder(RowChange change) {
        }
    }

}
