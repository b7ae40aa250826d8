/**
 * The workload CA of a trust domain: generating it ({@link dev.twofold.operator.workload.ca.CaFactory}), storing it
 * in a Secret ({@link dev.twofold.operator.workload.ca.CaSecretCodec}) and planning its rotation after SPIRE's model
 * ({@link dev.twofold.operator.workload.ca.CaRotation}): the next CA is prepared and published at half of the
 * current one's life, takes over at five sixths, and retired CAs stay in the trust bundle until the last certificate
 * they signed has expired.
 */
package dev.twofold.operator.workload.ca;
