package dev.canalboot.listener;

import dev.canalboot.testsupport.ListenerContexts;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Misdeclared listeners fail start-up with a ListenerDeclarationException naming the method and the problem. */
class ListenerDeclarationTest {

    @Configuration
    static class OneSource {
        @Bean
        InMemoryChangeSource main() {
            return new InMemoryChangeSource("main");
        }
    }

    @Configuration
    static class TwoSources {
        @Bean
        InMemoryChangeSource first() {
            return new InMemoryChangeSource("first");
        }

        @Bean
        InMemoryChangeSource second() {
            return new InMemoryChangeSource("second");
        }
    }

    public record Order(long id) {
    }

    private static void assertStartupFails(Class<?> listenerClass, String listener, String problem) {
        assertStartupFails(Map.of(), listenerClass, listener, problem);
    }

    private static void assertStartupFails(Map<String, Object> properties, Class<?> listenerClass, String listener,
                                           String problem) {
        assertThatThrownBy(() -> ListenerContexts.start(properties, listenerClass).close())
                .satisfies(e -> {
                    Throwable cause = e;
                    while (cause != null && !(cause instanceof ListenerDeclarationException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).as("ListenerDeclarationException in the cause chain of %s", e).isNotNull();
                    ListenerDeclarationException declaration = (ListenerDeclarationException) cause;
                    assertThat(declaration.getListener()).isEqualTo(listener);
                    assertThat(declaration.getMessage()).contains(listener).contains(problem);
                });
    }

    @Import(OneSource.class)
    static class UnknownParameter {
        @CanalListener(table = "shop.orders")
        void onChange(String text) {
        }
    }

    @Test
    void unknownParameterType() {
        assertStartupFails(UnknownParameter.class, "listenerDeclarationTest.UnknownParameter#onChange",
                "parameter 0 (java.lang.String) is not a supported parameter type");
    }

    @Import(OneSource.class)
    static class NoParameter {
        @CanalListener(table = "shop.orders")
        void onChange() {
        }
    }

    @Test
    void noParameter() {
        assertStartupFails(NoParameter.class, "listenerDeclarationTest.NoParameter#onChange", "declares no parameter");
    }

    @Import(OneSource.class)
    static class BadPattern {
        @CanalListener(table = "orders")
        void onChange(RowChange change) {
        }
    }

    @Test
    void patternWithoutSchema() {
        assertStartupFails(BadPattern.class, "listenerDeclarationTest.BadPattern#onChange",
                "bad table: table pattern 'orders' must be schema.table");
    }

    @Import(OneSource.class)
    static class BadRegex {
        @CanalListener(table = "regex:shop\\.(orders")
        void onChange(RowChange change) {
        }
    }

    @Test
    void invalidRegex() {
        assertStartupFails(BadRegex.class, "listenerDeclarationTest.BadRegex#onChange", "is not a valid regex");
    }

    @Import(OneSource.class)
    static class UnknownSource {
        @CanalListener(table = "shop.orders", source = "missing")
        void onChange(RowChange change) {
        }
    }

    @Test
    void unknownSource() {
        assertStartupFails(UnknownSource.class, "listenerDeclarationTest.UnknownSource#onChange",
                "source 'missing' is unknown; configured sources are [main]");
    }

    @Import(TwoSources.class)
    static class AmbiguousSource {
        @CanalListener(table = "shop.orders")
        void onChange(RowChange change) {
        }
    }

    @Test
    void noSourceNamedWhileSeveralExist() {
        assertStartupFails(AmbiguousSource.class, "listenerDeclarationTest.AmbiguousSource#onChange",
                "names no source but there are 2 sources [first, second]");
    }

    @Import(OneSource.class)
    static class BatchWithRowParameter {
        @CanalListener(table = "shop.orders")
        void onChange(List<RowChange> changes, Row row) {
        }
    }

    @Test
    void batchListenerWithRowParameter() {
        assertStartupFails(BatchWithRowParameter.class, "listenerDeclarationTest.BatchWithRowParameter#onChange",
                "mixes parameters of different listener kinds");
    }

    @Import(OneSource.class)
    static class BatchWithPosition {
        @CanalListener(table = "shop.orders")
        void onChange(List<RowChange> changes, dev.canalboot.model.SourcePosition position) {
        }
    }

    @Test
    void batchListenerWithAnotherParameter() {
        assertStartupFails(BatchWithPosition.class, "listenerDeclarationTest.BatchWithPosition#onChange",
                "mixes parameters of different listener kinds");
    }

    @Import(OneSource.class)
    static class RawList {
        @SuppressWarnings("rawtypes")
        @CanalListener(table = "shop.orders")
        void onChange(List changes) {
        }
    }

    @Test
    void batchListWithoutElementType() {
        assertStartupFails(RawList.class, "listenerDeclarationTest.RawList#onChange", "batch list without element type");
    }

    @Import(OneSource.class)
    static class ListOfStrings {
        @CanalListener(table = "shop.orders")
        void onChange(List<String> changes) {
        }
    }

    @Test
    void batchListOfUnsupportedElements() {
        assertStartupFails(ListOfStrings.class, "listenerDeclarationTest.ListOfStrings#onChange",
                "unsupported element type");
    }

    @Import(OneSource.class)
    static class TwoUnannotatedPojos {
        @CanalListener(table = "shop.orders")
        void onChange(Order before, Order after) {
        }
    }

    @Test
    void twoPojosWithoutBeforeAfter() {
        assertStartupFails(TwoUnannotatedPojos.class, "listenerDeclarationTest.TwoUnannotatedPojos#onChange",
                "declares several Order parameters without @BeforeImage/@AfterImage");
    }

    @Import(OneSource.class)
    static class SchemaAndRow {
        @CanalListener(table = "shop.orders")
        void onChange(SchemaChange ddl, RowChange change) {
        }
    }

    @Test
    void schemaChangeMixedWithRowChange() {
        assertStartupFails(SchemaAndRow.class, "listenerDeclarationTest.SchemaAndRow#onChange",
                "mixes parameters of different listener kinds");
    }

    @Import(OneSource.class)
    static class ImageAnnotationOnRowChange {
        @CanalListener(table = "shop.orders")
        void onChange(@BeforeImage RowChange change) {
        }
    }

    @Test
    void beforeImageOnSomethingThatIsNoImage() {
        assertStartupFails(ImageAnnotationOnRowChange.class,
                "listenerDeclarationTest.ImageAnnotationOnRowChange#onChange", "is not a row image");
    }

    @Import(OneSource.class)
    static class WrongMap {
        @CanalListener(table = "shop.orders")
        void onChange(Map<Integer, Object> row) {
        }
    }

    @Test
    void mapWithWrongKeyType() {
        assertStartupFails(WrongMap.class, "listenerDeclarationTest.WrongMap#onChange",
                "a row map must be Map<String, Object>");
    }

    @Import(OneSource.class)
    static class UnresolvedPlaceholder {
        @CanalListener(table = "${no.such.property}")
        void onChange(RowChange change) {
        }
    }

    @Test
    void unresolvablePlaceholder() {
        assertStartupFails(UnresolvedPlaceholder.class, "listenerDeclarationTest.UnresolvedPlaceholder#onChange",
                "cannot resolve table '${no.such.property}'");
    }

    @Import(OneSource.class)
    static class UnknownEventType {
        @CanalListener(table = "shop.orders", eventTypes = "${events}")
        void onChange(RowChange change) {
        }
    }

    @Test
    void unknownEventTypeFromPlaceholder() {
        assertStartupFails(Map.of("events", "INSERT,UPSERT"), UnknownEventType.class,
                "listenerDeclarationTest.UnknownEventType#onChange", "unknown event type 'UPSERT'");
    }

    @Import(OneSource.class)
    @CanalListener(table = "shop.orders")
    static class ClassLevelWithoutHandler {
    }

    @Test
    void classLevelListenerMustBeARowHandler() {
        assertStartupFails(ClassLevelWithoutHandler.class, "listenerDeclarationTest.ClassLevelWithoutHandler",
                "must implement dev.canalboot.listener.RowHandler");
    }

    @Import(OneSource.class)
    @CanalListener(table = "shop.orders")
    @SuppressWarnings("rawtypes")
    static class RawRowHandler implements RowHandler {
    }

    @Test
    void rowHandlerWithoutTypeArgument() {
        assertStartupFails(RawRowHandler.class, "listenerDeclarationTest.RawRowHandler",
                "cannot tell the row type T of RowHandler<T>");
    }

    @Import(OneSource.class)
    static class DuplicateIds {
        @CanalListener(id = "same", table = "shop.orders")
        void first(RowChange change) {
        }

        @CanalListener(id = "same", table = "shop.customers")
        void second(RowChange change) {
        }
    }

    @Test
    void duplicateEndpointIds() {
        assertStartupFails(DuplicateIds.class, "listenerDeclarationTest.DuplicateIds#second",
                "endpoint id 'same' is already used by listenerDeclarationTest.DuplicateIds#first");
    }
}
