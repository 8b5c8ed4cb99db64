package dev.canalboot.listener;

import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Reflective calls that let the listener's own exception through unwrapped. */
final class Invocations {

    private Invocations() {
    }

    static Object invoke(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getTargetException();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Listener " + method + " threw " + cause, cause);
        }
    }

    static Method accessible(Method method) {
        ReflectionUtils.makeAccessible(method);
        return method;
    }
}
