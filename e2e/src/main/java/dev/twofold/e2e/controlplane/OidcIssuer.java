package dev.twofold.e2e.controlplane;

/** An OIDC issuer the API server trusts through structured authentication configuration. */
public record OidcIssuer(String url, String audience, String caPem) {}
