package dev.canalboot.autoconfigure;

/**
 * The {@code canal.*} configuration cannot work. Carries the property at fault, what is wrong and what to
 * change, which {@link InvalidCanalConfigurationFailureAnalyzer} shows when start-up fails.
 */
public class InvalidCanalConfigurationException extends RuntimeException {

    private final String property;
    private final String problem;
    private final String action;

    /**
     * @param property the property at fault, e.g. {@code canal.sources.orders.port}
     * @param problem  what is wrong, naming the source and the value
     * @param action   what to change
     */
    public InvalidCanalConfigurationException(String property, String problem, String action) {
        super(problem + " " + action);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    public String getProperty() {
        return property;
    }

    public String getProblem() {
        return problem;
    }

    public String getAction() {
        return action;
    }
}
