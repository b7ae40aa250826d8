package dev.twofold.operator.config;

/** The command line is wrong; the message is one line for the user, without a stack trace. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
