package dev.canalboot.listener;

/**
 * A {@code @CanalListener} is declared in a way that cannot work (unknown parameter type, bad table
 * pattern, unknown or ambiguous source, ...). Thrown at start-up; the message names the listener
 * ({@code bean#method}) and the problem.
 */
public class ListenerDeclarationException extends RuntimeException {

    private final String listener;

    public ListenerDeclarationException(String listener, String problem) {
        this(listener, problem, null);
    }

    public ListenerDeclarationException(String listener, String problem, Throwable cause) {
        super("@CanalListener " + listener + ": " + problem, cause);
        this.listener = listener;
    }

    /** The listener at fault, as {@code bean#method} (or the bean name for a class-level listener). */
    public String getListener() {
        return listener;
    }
}
