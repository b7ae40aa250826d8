package dev.twofold.api.workload;

/**
 * An identity template that does not parse, or does not render to an acceptable name for a given pod. The message
 * is one line for a human (status conditions, denials), without a trailing period.
 */
public final class TemplateException extends Exception {

    public TemplateException(String message) {
        super(message);
    }
}
