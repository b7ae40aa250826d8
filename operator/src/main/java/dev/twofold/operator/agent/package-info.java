/**
 * {@code twofold agent}: runs beside a workload (sidecar or init container), fetches its certificate from the
 * operator's agent endpoint with the pod's projected service account token, writes key, chain and trust bundle into
 * a directory atomically, and renews at half-life with jitter.
 */
package dev.twofold.operator.agent;
