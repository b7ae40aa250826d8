package dev.twofold.e2e.process;

/** A component of the local environment failed to start or stop; the message names the component and the cause. */
public final class ProcessFailure extends RuntimeException {
    public ProcessFailure(String message) { super(message); }
    public ProcessFailure(String message, Throwable cause) { super(message, cause); }
}
