package dev.twofold.api.policy;

/** The operations of a ValidatingWebhookConfiguration rule that Twofold uses. */
public enum AdmissionOperation {
  CREATE, UPDATE, DELETE, CONNECT
}
