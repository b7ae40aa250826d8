/**
 * Pure API-level logic of the machine path, shared by the validators (webhook, reconcilers) and the operator's
 * issuer and attestor: identity templates ({@link dev.twofold.api.workload.SpiffeIdTemplate},
 * {@link dev.twofold.api.workload.DnsNameTemplate}), label selector matching and lifetime bounds. No I/O.
 */
package dev.twofold.api.workload;
