package dev.twofold.api.v1alpha1;

/** Kubernetes pod phases ({@code status.phase}); constant names are the wire names. */
public enum PodPhase {
    Pending, Running, Succeeded, Failed, Unknown
}
