package dev.canalboot.listener;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.testsupport.ListenerContexts;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.ListenerContexts.Received;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TransactionBoundary;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Every parameter style, bound by a real context and fed by an in-memory source. */
class ListenerBindingTest {

    private final Events events = new Events("main");

    @Configuration
    static class MainSource {
        @Bean
        InMemoryChangeSource source() {
            return new InMemoryChangeSource("main");
        }

        @Bean
        Received received() {
            return new Received();
        }
    }

    public record Order(long id, String orderNo, BigDecimal amount, int quantity) {
    }

    public static class OrderBean {
        Long id;
        @CanalColumn("order_no")
        String number;
        String amount;
    }

    private static InMemoryChangeSource source(AnnotationConfigApplicationContext context) {
        return context.getBean(InMemoryChangeSource.class);
    }

    private static List<Object> received(AnnotationConfigApplicationContext context) {
        return context.getBean(Received.class).items();
    }

    private static void deliver(AnnotationConfigApplicationContext context, ChangeBatch batch) {
        source(context).awaitAcked(batch);
    }

    // ---------------------------------------------------------------- RowChange, Row, Map, ChangeType, position

    @Import(MainSource.class)
    static class RawStyles {
        final Received received;

        RawStyles(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.orders")
        void onChange(RowChange change, Row row, Map<String, Object> map, ChangeType type, SourcePosition position) {
            received.add(List.of(change, row, map, type, position));
        }
    }

    @Test
    void rowChangeRowMapTypeAndPosition() {
        try (var context = ListenerContexts.start(RawStyles.class)) {
            RowChange insert = events.insert(ORDERS, order(1, "A-1", "10.00", 2));
            RowChange delete = events.delete(ORDERS, order(2, "A-2", "5.00", 1));
            deliver(context, source(context).offer(insert, delete));
            assertThat(received(context)).containsExactly(
                    List.of(insert, insert.after(), insert.after().toMap(), ChangeType.INSERT, insert.position()),
                    List.of(delete, delete.before(), delete.before().toMap(), ChangeType.DELETE, delete.position()));
        }
    }

    // ---------------------------------------------------------------- POJO, record, @CanalColumn

    @Import(MainSource.class)
    static class PojoStyles {
        final Received received;

        PojoStyles(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.orders")
        void asRecord(Order order) {
            received.add(order);
        }

        @CanalListener(table = "shop.orders")
        void asBean(OrderBean order) {
            received.add(order.id + "/" + order.number + "/" + order.amount);
        }
    }

    @Test
    void pojoAndRecordMappedByColumnName() {
        try (var context = ListenerContexts.start(PojoStyles.class)) {
            deliver(context, source(context).offer(events.insert(ORDERS, order(3, "B-3", "7.25", 4))));
            // Methods of one bean are called in name order: asBean before asRecord.
            assertThat(received(context)).containsExactly("3/B-3/7.25", new Order(3, "B-3", new BigDecimal("7.25"), 4));
        }
    }

    // ---------------------------------------------------------------- before/after pair

    @Import(MainSource.class)
    static class BeforeAfter {
        final Received received;

        BeforeAfter(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.orders")
        void onUpdate(@BeforeImage Order old, @AfterImage Order now, @AfterImage Row afterRow) {
            received.add(old == null ? "none" : old.amount().toPlainString());
            received.add(now == null ? "none" : now.amount().toPlainString());
            received.add(afterRow == null ? "none" : afterRow.getString("order_no"));
        }
    }

    @Test
    void beforeAndAfterImagesAsTwoPojos() {
        try (var context = ListenerContexts.start(BeforeAfter.class)) {
            deliver(context, source(context).offer(
                    events.update(ORDERS, order(4, "C-4", "1.00", 1), order(4, "C-4", "2.00", 1)),
                    events.insert(ORDERS, order(5, "C-5", "3.00", 1)),
                    events.delete(ORDERS, order(5, "C-5", "3.00", 1))));
            assertThat(received(context)).containsExactly(
                    "1.00", "2.00", "C-4",
                    "none", "3.00", "C-5",
                    "3.00", "none", "none");
        }
    }

    // ---------------------------------------------------------------- batch listeners

    @Import(MainSource.class)
    static class BatchStyles {
        final Received received;

        BatchStyles(Received received) {
            this.received = received;
        }

        @CanalListener(id = "changes", table = "shop.orders")
        void changes(List<RowChange> changes) {
            received.add(changes.stream().map(c -> c.row().getLong("id")).toList());
        }

        @CanalListener(id = "orders", table = "shop.orders", events = ChangeType.INSERT)
        void orders(List<Order> orders) {
            received.add(orders);
        }

        @CanalListener(id = "single", table = "shop.orders")
        void single(RowChange change) {
            received.add(change.row().getLong("id"));
        }
    }

    @Test
    void batchListenerGetsAllMatchingRowsOfOneBatchInOneCallAfterRowListeners() {
        try (var context = ListenerContexts.start(BatchStyles.class)) {
            ChangeBatch first = source(context).offer(
                    events.insert(ORDERS, order(10, "D", "1.00", 1)),
                    events.customer(1, "ignored"),
                    events.update(ORDERS, order(10, "D", "1.00", 1), order(10, "D", "2.00", 1)),
                    events.insert(ORDERS, order(11, "E", "3.00", 2)));
            ChangeBatch second = source(context).offer(events.delete(ORDERS, order(11, "E", "3.00", 2)));
            deliver(context, first);
            deliver(context, second);
            assertThat(received(context)).containsExactly(
                    10L, 10L, 11L,
                    List.of(10L, 10L, 11L),
                    List.of(new Order(10, "D", new BigDecimal("1.00"), 1), new Order(11, "E", new BigDecimal("3.00"), 2)),
                    11L,
                    List.of(11L));
        }
    }

    // ---------------------------------------------------------------- schema changes, transaction boundaries

    @Import(MainSource.class)
    static class DdlAndTransactions {
        final Received received;

        DdlAndTransactions(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.orders")
        void ddl(SchemaChange change) {
            received.add("ddl:" + change.sql());
        }

        @CanalListener(table = "shop.*")
        void rows(RowChange change) {
            received.add("row:" + change.qualifiedTable());
        }

        @CanalListener(table = "shop.*")
        void tx(TransactionBoundary boundary) {
            received.add("tx:" + boundary.kind());
        }
    }

    @Test
    void schemaChangesAndTransactionBoundariesReachOnlyListenersThatAskForThem() {
        try (var context = ListenerContexts.start(DdlAndTransactions.class)) {
            deliver(context, source(context).offer(
                    events.begin(),
                    events.insert(ORDERS, order(1, "A", "1.00", 1)),
                    events.commit("42"),
                    events.ddl("shop", "orders", "ALTER TABLE orders ADD note TEXT"),
                    events.ddl("shop", "customers", "ALTER TABLE customers ADD x INT"),
                    events.ddl("shop", null, "CREATE FUNCTION f() RETURNS INT RETURN 1"),
                    events.ddl("crm", null, "CREATE FUNCTION g() RETURNS INT RETURN 1")));
            assertThat(received(context)).containsExactly(
                    "tx:BEGIN", "row:shop.orders", "tx:COMMIT",
                    "ddl:ALTER TABLE orders ADD note TEXT",
                    "ddl:CREATE FUNCTION f() RETURNS INT RETURN 1");
        }
    }

    // ---------------------------------------------------------------- class-level RowHandler

    @Import(MainSource.class)
    @CanalListener(table = "shop.orders")
    static class OrderHandler implements RowHandler<Order> {
        final Received received;

        OrderHandler(Received received) {
            this.received = received;
        }

        @Override
        public void onInsert(Order row) {
            received.add("insert " + row.id());
        }

        @Override
        public void onUpdate(Order before, Order after) {
            received.add("update " + before.quantity() + "->" + after.quantity());
        }
    }

    @Test
    void rowHandlerClassGetsTypedCallbacksAndIgnoresWhatItDoesNotOverride() {
        try (var context = ListenerContexts.start(OrderHandler.class)) {
            deliver(context, source(context).offer(
                    events.insert(ORDERS, order(1, "A", "1.00", 1)),
                    events.update(ORDERS, order(1, "A", "1.00", 1), order(1, "A", "1.00", 5)),
                    events.delete(ORDERS, order(1, "A", "1.00", 5)),
                    events.customer(2, "not an order"),
                    events.snapshot(ORDERS, order(3, "C", "3.00", 3))));
            // onSnapshot defaults to onInsert
            assertThat(received(context)).containsExactly("insert 1", "update 1->5", "insert 3");
            assertThat(context.getBean(CanalListenerEndpointRegistry.class).getEndpoints())
                    .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo("listenerBindingTest.OrderHandler"));
        }
    }

    @Import(MainSource.class)
    static class SnapshotFilters {
        final Received received;

        SnapshotFilters(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.orders", events = ChangeType.INSERT)
        void a_insertsOnly(RowChange change) {
            received.add("inserts " + change.type());
        }

        @CanalListener(table = "shop.orders", events = ChangeType.SNAPSHOT)
        void b_snapshotsOnly(RowChange change) {
            received.add("snapshots " + change.type() + " " + change.after().get("id") + " before=" + change.before());
        }
    }

    @Test
    void eventsFilterSnapshotRowsLikeTheOtherTypes() {
        try (var context = ListenerContexts.start(SnapshotFilters.class)) {
            deliver(context, source(context).offer(
                    events.snapshot(ORDERS, order(1, "A", "1.00", 1)),
                    events.insert(ORDERS, order(2, "B", "1.00", 1))));
            assertThat(received(context)).containsExactlyInAnyOrder("snapshots SNAPSHOT 1 before=null", "inserts INSERT");
        }
    }

    // ---------------------------------------------------------------- patterns and event filters

    @Import(MainSource.class)
    static class Patterns {
        final Received received;

        Patterns(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.*")
        void a_wildcard(RowChange change) {
            received.add("wildcard " + change.qualifiedTable());
        }

        @CanalListener(table = "regex:(shop|crm)\\.c.*")
        void b_regex(RowChange change) {
            received.add("regex " + change.qualifiedTable());
        }

        @CanalListener(table = {"shop.customers", "crm.contacts"}, events = ChangeType.DELETE)
        void c_deletesOfTwoTables(RowChange change) {
            received.add("deletes " + change.qualifiedTable());
        }

        @CanalListener(table = "SHOP.ORDERS", events = {ChangeType.INSERT, ChangeType.UPDATE})
        void d_exact(RowChange change) {
            received.add("exact " + change.type());
        }
    }

    @Test
    void tablePatternsAndEventFiltersSelectListeners() {
        try (var context = ListenerContexts.start(Patterns.class)) {
            deliver(context, source(context).offer(
                    events.insert(ORDERS, order(1, "A", "1.00", 1)),
                    events.delete(ORDERS, order(1, "A", "1.00", 1)),
                    events.customer(2, "c"),
                    events.delete(Events.CUSTOMERS, 2L, "c"),
                    events.contact(3, "x"),
                    events.delete(Events.CONTACTS, 3L, "x")));
            assertThat(received(context)).containsExactly(
                    "wildcard shop.orders", "exact INSERT",
                    "wildcard shop.orders",
                    "wildcard shop.customers", "regex shop.customers",
                    "wildcard shop.customers", "regex shop.customers", "deletes shop.customers",
                    "regex crm.contacts",
                    "regex crm.contacts", "deletes crm.contacts");
        }
    }

    // ---------------------------------------------------------------- placeholders

    @Import(MainSource.class)
    static class Placeholders {
        final Received received;

        Placeholders(Received received) {
            this.received = received;
        }

        @CanalListener(id = "${app.listener-id}", table = "${app.tables}", eventTypes = "${app.events}",
                source = "${app.source}")
        void onChange(RowChange change) {
            received.add(change.qualifiedTable() + " " + change.type());
        }
    }

    @Test
    void placeholdersResolveInEveryAttribute() {
        Map<String, Object> properties = Map.of("app.listener-id", "audit", "app.tables", "shop.orders, crm.contacts",
                "app.events", "insert,DELETE", "app.source", "main");
        try (var context = ListenerContexts.start(properties, Placeholders.class)) {
            deliver(context, source(context).offer(
                    events.insert(ORDERS, order(1, "A", "1.00", 1)),
                    events.update(ORDERS, order(1, "A", "1.00", 1), order(1, "A", "2.00", 1)),
                    events.customer(1, "no"),
                    events.contact(2, "yes"),
                    events.delete(Events.CONTACTS, 2L, "yes")));
            assertThat(received(context)).containsExactly("shop.orders INSERT", "crm.contacts INSERT",
                    "crm.contacts DELETE");
            ListenerEndpoint endpoint = context.getBean(CanalListenerEndpointRegistry.class).getEndpoints().get(0);
            assertThat(endpoint.id()).isEqualTo("audit");
            assertThat(endpoint.tables()).containsExactly("shop.orders", "crm.contacts");
            assertThat(endpoint.events()).containsExactlyInAnyOrder(ChangeType.INSERT, ChangeType.DELETE);
            assertThat(endpoint.source()).isEqualTo("main");
        }
    }

    // ---------------------------------------------------------------- ConversionService bean

    public record Money(BigDecimal amount, String currency) {
    }

    public record PricedOrder(long id, Money amount) {
    }

    @Configuration
    static class MoneyConversion {
        @Bean
        ConversionService conversionService() {
            DefaultConversionService service = new DefaultConversionService();
            service.addConverter(BigDecimal.class, Money.class, amount -> new Money(amount, "EUR"));
            return service;
        }
    }

    @Import({MainSource.class, MoneyConversion.class})
    static class MoneyListener {
        final Received received;

        MoneyListener(Received received) {
            this.received = received;
        }

        @CanalListener(table = "shop.orders")
        void onOrder(PricedOrder order) {
            received.add(order);
        }
    }

    @Test
    void conversionServiceBeanConvertsColumnValues() {
        try (var context = ListenerContexts.start(MoneyListener.class)) {
            deliver(context, source(context).offer(events.insert(ORDERS, order(1, "A", "4.50", 1))));
            assertThat(received(context)).containsExactly(new PricedOrder(1, new Money(new BigDecimal("4.50"), "EUR")));
        }
    }

    // ---------------------------------------------------------------- proxied listener beans

    /** Wraps the listener bean in a class-based proxy, as @Transactional would, before listeners are found. */
    static class ProxyingPostProcessor implements BeanPostProcessor, Ordered {
        final List<String> intercepted = new CopyOnWriteArrayList<>();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof ProxiedListener)) {
                return bean;
            }
            ProxyFactory factory = new ProxyFactory(bean);
            factory.setProxyTargetClass(true);
            factory.addAdvice((MethodInterceptor) invocation -> {
                intercepted.add(invocation.getMethod().getName());
                return invocation.proceed();
            });
            return factory.getProxy();
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    @Import(MainSource.class)
    static class ProxiedListener {
        @Autowired
        Received received;

        @CanalListener(table = "shop.orders")
        public void onOrder(Order order) {
            received.add(order.id());
        }
    }

    @Test
    void listenerIsCalledThroughTheBeanProxy() {
        try (var context = ListenerContexts.create(Map.of(), ProxiedListener.class)) {
            context.registerBean(ProxyingPostProcessor.class);
            context.refresh();
            deliver(context, source(context).offer(events.insert(ORDERS, order(6, "P", "1.00", 1))));
            assertThat(received(context)).containsExactly(6L);
            assertThat(context.getBean(ProxyingPostProcessor.class).intercepted).containsExactly("onOrder");
        }
    }
}
