package io.github.cloudmap.watcher.observation;

/** The placeholder values of keys whose value is not known or does not apply. */
final class Values {

    private Values() {}

    static String orUnknown(String value) {
        return value == null ? "UNKNOWN" : value;
    }

    static String orNone(String value) {
        return value == null ? "none" : value;
    }

    static String owner(String ownerAccount) {
        return ownerAccount == null ? "self" : ownerAccount;
    }
}
