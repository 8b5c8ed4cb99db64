package dev.canalboot.listener;

import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionService;

import java.util.List;
import java.util.function.Supplier;

/** Calls a class-level {@code @CanalListener} bean through its {@link RowHandler} methods. */
public final class RowHandlerEndpointInvoker implements EndpointInvoker {

    private final RowHandler<Object> handler;
    private final RowConverter converter;

    private RowHandlerEndpointInvoker(RowHandler<Object> handler, RowConverter converter) {
        this.handler = handler;
        this.converter = converter;
    }

    /**
     * @param handler   the bean (possibly a proxy)
     * @param beanClass the bean's user class, from which {@code T} is resolved
     * @throws ListenerDeclarationException when the bean is no RowHandler or {@code T} is unusable
     */
    @SuppressWarnings("unchecked")
    public static RowHandlerEndpointInvoker create(Object handler, Class<?> beanClass, String listener,
                                                   Supplier<ConversionService> conversionService) {
        if (!(handler instanceof RowHandler<?>)) {
            throw new ListenerDeclarationException(listener, "a class annotated @CanalListener must implement "
                    + RowHandler.class.getName() + "<T> (or annotate methods instead)");
        }
        ResolvableType type = ResolvableType.forClass(beanClass).as(RowHandler.class).getGeneric(0);
        if (type.resolve() == null || type.resolve() == Object.class) {
            throw new ListenerDeclarationException(listener, "cannot tell the row type T of RowHandler<T> from "
                    + beanClass.getName() + "; implement RowHandler with a concrete type such as RowHandler<Order>");
        }
        RowConverter converter;
        try {
            converter = RowConverter.forType(type, conversionService);
        } catch (IllegalArgumentException e) {
            throw new ListenerDeclarationException(listener, "RowHandler<" + type + ">: " + e.getMessage(), e);
        }
        if (converter == null) {
            throw new ListenerDeclarationException(listener, "RowHandler<" + type + "> is not supported; T must be "
                    + "Row, Map<String, Object> or a POJO/record");
        }
        return new RowHandlerEndpointInvoker((RowHandler<Object>) handler, converter);
    }

    @Override
    public Kind kind() {
        return Kind.ROW;
    }

    @Override
    public void invoke(ChangeEvent event) throws Exception {
        RowChange change = (RowChange) event;
        switch (change.type()) {
            case INSERT -> handler.onInsert(converter.convert(change.after()));
            case UPDATE -> handler.onUpdate(converter.convert(change.before()), converter.convert(change.after()));
            case DELETE -> handler.onDelete(converter.convert(change.before()));
            case SNAPSHOT -> handler.onSnapshot(converter.convert(change.after()));
        }
    }

    @Override
    public void invokeBatch(List<RowChange> rows) {
        throw new IllegalStateException("A RowHandler is not a batch listener");
    }
}
