package dev.canalboot.listener;

import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import dev.canalboot.testsupport.ListenerContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the processor makes of {@code @CanalListener} attributes (ids, table lists, event types, placeholders),
 * the endpoints declared in code that join them, and the container settings it hands the registry.
 */
class CanalListenerAnnotationBeanPostProcessorTest {

    private AnnotationConfigApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Configuration
    static class MainSource {
        @Bean
        InMemoryChangeSource source() {
            return new InMemoryChangeSource("main");
        }
    }

    @Import(MainSource.class)
    static class Attributes {
        @CanalListener(table = " shop.orders, shop.customers ", events = ChangeType.UPDATE,
                eventTypes = "${types}")
        void b_lists(RowChange change) {
        }

        @CanalListener(id = "${listener.id}", table = {"regex:shop\\.(orders|items),x", "crm.contacts"})
        void a_regex(RowChange change) {
        }
    }

    private List<ListenerEndpoint> endpoints() {
        return context.getBean(CanalListenerEndpointRegistry.class).getEndpoints();
    }

    @Test
    void attributesResolveSplitAndCombine() {
        context = ListenerContexts.start(Map.of("types", "insert , Delete", "listener.id", "by-regex"),
                Attributes.class);
        assertThat(endpoints()).as("in method-name order").extracting(ListenerEndpoint::id)
                .containsExactly("by-regex", "canalListenerAnnotationBeanPostProcessorTest.Attributes#b_lists");
        ListenerEndpoint regex = endpoints().get(0);
        assertThat(regex.listener()).isEqualTo("canalListenerAnnotationBeanPostProcessorTest.Attributes#a_regex");
        assertThat(regex.tables()).as("a regex is never split at its commas")
                .containsExactly("regex:shop\\.(orders|items),x", "crm.contacts");
        assertThat(regex.events()).containsExactlyInAnyOrder(ChangeType.values());
        assertThat(regex.source()).isEmpty();
        ListenerEndpoint lists = endpoints().get(1);
        assertThat(lists.tables()).containsExactly("shop.orders", "shop.customers");
        assertThat(lists.events()).as("events and eventTypes together")
                .containsExactlyInAnyOrder(ChangeType.UPDATE, ChangeType.INSERT, ChangeType.DELETE);
        assertThat(context.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("main").getEndpoints())
                .hasSize(2);
    }

    @Import(MainSource.class)
    static class NoTable {
        @CanalListener(table = {})
        void onChange(RowChange change) {
        }
    }

    @Test
    void aListenerWithoutTableNamesTheFix() {
        assertThatThrownBy(() -> ListenerContexts.start(NoTable.class))
                .hasRootCauseInstanceOf(ListenerDeclarationException.class)
                .rootCause().hasMessage("@CanalListener canalListenerAnnotationBeanPostProcessorTest.NoTable#onChange: declares no table; set table = \"schema.table\"");
    }

    @Import(MainSource.class)
    static class BadEventType {
        @CanalListener(table = "shop.orders", eventTypes = "insert,upsert")
        void onChange(RowChange change) {
        }
    }

    @Test
    void anUnknownEventTypeNamesTheKnownOnes() {
        assertThatThrownBy(() -> ListenerContexts.start(BadEventType.class))
                .rootCause().isInstanceOf(ListenerDeclarationException.class)
                .hasMessageContaining("canalListenerAnnotationBeanPostProcessorTest.BadEventType#onChange: unknown event type 'upsert'; use [INSERT, UPDATE, DELETE");
    }

    @Configuration
    @Import(MainSource.class)
    static class InCode {
        @Bean
        ListenerEndpointProvider relay() {
            return () -> List.of(new ListenerEndpoint("in-code", "relay", List.of(TablePattern.parse("shop.*")),
                    Set.of(), "", new RecordingInvoker()));
        }

        @Bean
        ContainerSettings settings() {
            return ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(7));
        }

        @Bean
        @Order(2)
        ContainerSettingsCustomizer second() {
            return (source, settings) -> settings.withShutdownTimeout(settings.shutdownTimeout().plusSeconds(1));
        }

        @Bean
        @Order(1)
        ContainerSettingsCustomizer first() {
            return (source, settings) -> settings.withShutdownTimeout(Duration.ofSeconds(source.length()));
        }

        @CanalListener(table = "shop.orders")
        void onChange(RowChange change) {
        }
    }

    @Test
    void endpointsDeclaredInCodeJoinAndTheSettingsBeanIsCustomizedPerSourceInOrder() {
        context = ListenerContexts.start(InCode.class);
        assertThat(endpoints()).extracting(ListenerEndpoint::id).containsExactly("canalListenerAnnotationBeanPostProcessorTest.InCode#onChange", "in-code");
        ContainerSettings settings = context.getBean(CanalListenerEndpointRegistry.class)
                .getListenerContainer("main").getSettings();
        assertThat(settings.pollTimeout()).isEqualTo(Duration.ofMillis(7));
        assertThat(settings.shutdownTimeout()).as("first sets 4 s (\"main\"), then second adds 1 s")
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Configuration
    @Import(MainSource.class)
    static class LazyListener {
        @Bean
        @Lazy
        Late late() {
            return new Late();
        }
    }

    static class Late {
        @CanalListener(table = "shop.orders")
        void onChange(RowChange change) {
        }
    }

    @Test
    void aListenerBeanCreatedAfterStartUpIsRefusedNotSilentlyIgnored() {
        context = ListenerContexts.start(LazyListener.class);
        assertThatThrownBy(() -> context.getBean(Late.class))
                .isInstanceOf(BeanCreationException.class).rootCause()
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessageContaining("late#onChange: the bean was created after start-up (lazy or non-singleton)");
    }

    @Test
    void aBeanFactoryThatCannotListBeansIsRefused() {
        assertThatThrownBy(() -> new CanalListenerAnnotationBeanPostProcessor()
                .setBeanFactory(new StaticListableBeanFactory()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a ConfigurableListableBeanFactory, got");
    }
}
