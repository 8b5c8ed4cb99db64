package dev.canalboot.embedded;

/**
 * An account created on an embedded server at initialization.
 *
 * @param authPlugin the authentication plugin of the account, e.g. {@code caching_sha2_password}
 */
public record DatabaseUser(String name, String password, String authPlugin) {

    @Override
    public String toString() {
        // Never print the password, even the well-known test one
        return name + " (" + authPlugin + ")";
    }
}
