package dev.twofold.operator.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.operator.config.PkiSettings;
import dev.twofold.operator.config.ServingSans;
import dev.twofold.operator.pki.PkiChange.Kind;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decisions of the webhook PKI on a fixed timeline (the clock is the {@code now} passed in). */
class WebhookPkiTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final PkiSettings SETTINGS = new PkiSettings(Duration.ofDays(30), Duration.ofDays(3),
            Duration.ofHours(1), Duration.ofMinutes(10));
    private static final ServingSans SANS = sans(List.of("localhost"), "127.0.0.1");

    private final CertificateMinter minter = new CertificateMinter(new SecureRandom());
    private final WebhookPki pki = new WebhookPki(SETTINGS, SANS, minter);

    @Test
    void with_no_secrets_a_ca_and_a_serving_certificate_for_the_configured_names_are_issued() throws Exception {
        PkiOutcome.Ready ready = ready(pki.reconcile(null, null, T0));

        assertThat(kinds(ready)).containsExactly(Kind.CaCreated, Kind.ServingCertIssued);
        X509Certificate ca = only(ready.caBundle());
        X509Certificate serving = certificate(ready.tlsSecretData().get("tls.crt"));
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(serving.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(serving.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(serving.getNotAfter().toInstant()).isEqualTo(T0.plus(Duration.ofDays(3)));
        assertThat(ready.tlsSecretData().get("tls.key")).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(ready.tlsSecretData().get("ca.crt")).isEqualTo(ready.caBundle());
        assertThat(ready.caSecretData().keySet()).containsExactlyInAnyOrder("ca.crt", "ca.key");
        assertChains(serving, ready.caBundle(), T0);
        assertThat(ready.nextCheck()).isEqualTo(T0.plus(SETTINGS.recheckInterval()));
        assertThat(ready.caNotAfter()).isEqualTo(T0.plus(Duration.ofDays(30)));
    }

    @Test
    void nothing_changes_while_nothing_is_due() {
        PkiOutcome.Ready first = ready(pki.reconcile(null, null, T0));

        PkiOutcome.Ready later = ready(pki.reconcile(first.caSecretData(), first.tlsSecretData(),
                T0.plus(Duration.ofDays(1))));

        assertThat(later.changes()).isEmpty();
        assertThat(later.caSecretData()).isEqualTo(first.caSecretData());
        assertThat(later.tlsSecretData()).isEqualTo(first.tlsSecretData());
    }

    @Test
    void the_serving_certificate_is_renewed_at_two_thirds_of_its_lifetime_by_the_same_ca() {
        PkiOutcome.Ready first = ready(pki.reconcile(null, null, T0));
        X509Certificate issued = certificate(first.tlsSecretData().get("tls.crt"));
        Instant due = Lifetimes.twoThirds(issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant());
        assertThat(due).isBetween(T0.plus(Duration.ofDays(2)).minus(Duration.ofMinutes(5)), T0.plus(Duration.ofDays(2)));

        PkiOutcome.Ready justBefore = ready(pki.reconcile(first.caSecretData(), first.tlsSecretData(),
                due.minusSeconds(1)));
        PkiOutcome.Ready renewed = ready(pki.reconcile(first.caSecretData(), first.tlsSecretData(), due));

        assertThat(justBefore.changes()).isEmpty();
        assertThat(justBefore.nextCheck()).isEqualTo(due);
        assertThat(renewed.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.ServingCertIssued);
            assertThat(c.message()).endsWith("(2/3 of its lifetime had passed)");
        });
        assertThat(renewed.caSecretData()).isEqualTo(first.caSecretData());
        assertThat(renewed.tlsSecretData().get("tls.crt")).isNotEqualTo(first.tlsSecretData().get("tls.crt"));
    }

    @Test
    void the_ca_rotates_in_phases_publishing_the_next_ca_before_it_signs_and_dropping_the_old_one_last()
            throws Exception {
        PkiOutcome.Ready fresh = ready(pki.reconcile(null, null, T0));
        X509Certificate first = only(fresh.caBundle());

        // Phase 1 at 2/3 of the CA's life: the next CA is published, the serving certificate still comes from the first.
        Instant rotation = T0.plus(Duration.ofDays(20));
        PkiOutcome.Ready published = ready(pki.reconcile(fresh.caSecretData(), fresh.tlsSecretData(), rotation));
        assertThat(kinds(published)).contains(Kind.CaRotationStarted).doesNotContain(Kind.CaRotated);
        List<X509Certificate> bundle = Pem.parseCertificates(published.caBundle());
        assertThat(bundle).hasSize(2).first().isEqualTo(first);
        X509Certificate next = bundle.get(1);
        assertThat(published.caSecretData().keySet()).containsExactlyInAnyOrder("ca.crt", "ca.key", "next.crt",
                "next.key");
        assertThat(published.tlsSecretData().get("ca.crt")).isEqualTo(published.caBundle());
        assertThat(KeyPairCheck.signedBy(certificate(published.tlsSecretData().get("tls.crt")), first)).isTrue();
        Instant promotion = next.getNotBefore().toInstant().plus(Duration.ofHours(1));
        assertThat(published.nextCheck()).isBeforeOrEqualTo(promotion);
        assertThat(ready(pki.reconcile(published.caSecretData(), published.tlsSecretData(), promotion.minusSeconds(1)))
                .changes()).isEmpty();

        // Phase 2 after the overlap: the next CA signs; the first stays trusted.
        PkiOutcome.Ready promoted = ready(pki.reconcile(published.caSecretData(), published.tlsSecretData(),
                promotion));
        assertThat(kinds(promoted)).containsExactly(Kind.CaRotated, Kind.ServingCertIssued);
        assertThat(Pem.parseCertificates(promoted.caBundle())).containsExactly(next, first);
        assertThat(promoted.caSecretData().keySet()).containsExactlyInAnyOrder("ca.crt", "ca.key", "previous.crt");
        X509Certificate serving = certificate(promoted.tlsSecretData().get("tls.crt"));
        assertThat(KeyPairCheck.signedBy(serving, next)).isTrue();
        assertChains(serving, promoted.caBundle(), promotion);

        // Phase 3 once the new serving certificate has been out for the overlap: the first CA is dropped.
        Instant drop = serving.getNotBefore().toInstant().plus(Duration.ofHours(1));
        PkiOutcome.Ready kept = ready(pki.reconcile(promoted.caSecretData(), promoted.tlsSecretData(),
                drop.minusSeconds(1)));
        assertThat(kept.changes()).isEmpty();
        PkiOutcome.Ready dropped = ready(pki.reconcile(promoted.caSecretData(), promoted.tlsSecretData(), drop));
        assertThat(kinds(dropped)).containsExactly(Kind.PreviousCaDropped);
        assertThat(Pem.parseCertificates(dropped.caBundle())).containsExactly(next);
        assertThat(dropped.caSecretData().keySet()).containsExactlyInAnyOrder("ca.crt", "ca.key");
        assertThat(dropped.tlsSecretData().get("tls.crt")).isEqualTo(promoted.tlsSecretData().get("tls.crt"));
    }

    @Test
    void a_users_own_ca_is_adopted_as_stored_and_signs_the_serving_certificate() throws Exception {
        CertificateAuthority users = minter.newCa(T0.minus(Duration.ofDays(100)), Duration.ofDays(3650));
        Map<String, String> stored = Map.of("ca.crt", Pem.certificate(users.certificate()),
                "ca.key", traditionalPem(users));

        PkiOutcome.Ready ready = ready(pki.reconcile(stored, null, T0));

        assertThat(kinds(ready)).containsExactly(Kind.ServingCertIssued);
        assertThat(ready.caSecretData()).isEqualTo(stored);
        assertThat(only(ready.caBundle())).isEqualTo(users.certificate());
        assertChains(certificate(ready.tlsSecretData().get("tls.crt")), ready.caBundle(), T0);
    }

    static Stream<Arguments> brokenCaSecrets() {
        CertificateMinter minter = new CertificateMinter(new SecureRandom());
        CertificateAuthority ca = minter.newCa(T0, Duration.ofDays(30));
        CertificateAuthority other = minter.newCa(T0, Duration.ofDays(30));
        ServingCertificate leaf = minter.newServingCertificate(ca, SANS, T0, Duration.ofDays(1));
        return Stream.of(
                Arguments.of("ca.crt that is no PEM", Map.of("ca.crt", "hello", "ca.key", Pem.privateKey(ca.key())),
                        "Secret key ca.crt holds no PEM certificate"),
                Arguments.of("ca.key without ca.crt", Map.of("ca.key", Pem.privateKey(ca.key())),
                        "Secret key ca.crt is missing (ca.key is present)"),
                Arguments.of("a key of another CA", Map.of("ca.crt", Pem.certificate(ca.certificate()),
                        "ca.key", Pem.privateKey(other.key())),
                        "Secret key ca.crt does not belong to the private key stored with it"),
                Arguments.of("a leaf certificate as CA", Map.of("ca.crt", Pem.certificate(leaf.certificate()),
                        "ca.key", Pem.privateKey(leaf.key())),
                        "Secret key ca.crt is not a CA certificate (basicConstraints cA is false or absent)"),
                Arguments.of("a certificate where the key belongs", Map.of("ca.crt", Pem.certificate(ca.certificate()),
                        "ca.key", Pem.certificate(ca.certificate())),
                        "Secret key ca.key holds a X509CertificateHolder where an unencrypted private key was expected"));
    }

    @ParameterizedTest(name = "{0} is rejected, never overwritten")
    @MethodSource("brokenCaSecrets")
    void a_broken_ca_secret_is_rejected_with_a_clear_message(String name, Map<String, String> data, String message) {
        PkiOutcome outcome = pki.reconcile(data, null, T0);

        assertThat(outcome).isEqualTo(new PkiOutcome.Rejected("InvalidCaSecret",
                message + "; fix or delete the Secret (the operator then generates a new CA)"));
    }

    @Test
    void an_empty_placeholder_secret_is_filled() {
        assertThat(kinds(ready(pki.reconcile(Map.of(), null, T0))))
                .containsExactly(Kind.CaCreated, Kind.ServingCertIssued);
    }

    @Test
    void an_expired_ca_without_successor_is_replaced() {
        PkiOutcome.Ready old = ready(pki.reconcile(null, null, T0));

        PkiOutcome.Ready replaced = ready(pki.reconcile(Map.of("ca.crt", old.caSecretData().get("ca.crt"),
                "ca.key", old.caSecretData().get("ca.key")), old.tlsSecretData(), T0.plus(Duration.ofDays(31))));

        assertThat(kinds(replaced)).containsExactly(Kind.CaReplaced, Kind.ServingCertIssued);
        assertThat(replaced.caSecretData().get("ca.crt")).isNotEqualTo(old.caSecretData().get("ca.crt"));
    }

    @Test
    void new_names_or_a_tampered_key_get_a_new_serving_certificate() {
        PkiOutcome.Ready first = ready(pki.reconcile(null, null, T0));
        WebhookPki renamed = new WebhookPki(SETTINGS, sans(List.of("twofold-webhook.twofold-system.svc"), null),
                minter);
        Map<String, String> tampered = new HashMap<>(first.tlsSecretData());
        tampered.put("tls.key", Pem.privateKey(minter.newCa(T0, Duration.ofDays(1)).key()));

        assertThat(ready(renamed.reconcile(first.caSecretData(), first.tlsSecretData(), T0)).changes())
                .singleElement().extracting(PkiChange::message).asString()
                .endsWith("(its names differed from twofold-webhook.twofold-system.svc)");
        assertThat(ready(pki.reconcile(first.caSecretData(), tampered, T0)).changes())
                .singleElement().extracting(PkiChange::message).asString()
                .endsWith("(the stored one was unusable: tls.key does not belong to tls.crt)");
    }

    @Test
    void a_stale_bundle_in_the_serving_secret_is_corrected_without_reissuing() {
        PkiOutcome.Ready first = ready(pki.reconcile(null, null, T0));
        Map<String, String> stale = new HashMap<>(first.tlsSecretData());
        stale.remove("ca.crt");

        PkiOutcome.Ready fixed = ready(pki.reconcile(first.caSecretData(), stale, T0));

        assertThat(fixed.changes()).isEmpty();
        assertThat(fixed.tlsSecretData()).isEqualTo(first.tlsSecretData());
    }

    private static PkiOutcome.Ready ready(PkiOutcome outcome) {
        assertThat(outcome).isInstanceOf(PkiOutcome.Ready.class);
        return (PkiOutcome.Ready) outcome;
    }

    private static List<Kind> kinds(PkiOutcome.Ready ready) {
        return ready.changes().stream().map(PkiChange::kind).toList();
    }

    private static X509Certificate certificate(String pem) {
        try {
            return Pem.parseCertificates(pem).getFirst();
        } catch (InvalidPemException e) {
            throw new AssertionError(e);
        }
    }

    private static X509Certificate only(String bundle) throws InvalidPemException {
        List<X509Certificate> certificates = Pem.parseCertificates(bundle);
        assertThat(certificates).hasSize(1);
        return certificates.getFirst();
    }

    /** PKIX path validation of {@code leaf} against the bundle's CAs at {@code at}. */
    static void assertChains(X509Certificate leaf, String bundle, Instant at) throws Exception {
        Set<TrustAnchor> anchors = Pem.parseCertificates(bundle).stream().map(c -> new TrustAnchor(c, null))
                .collect(Collectors.toSet());
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    /** The key as {@code openssl ecparam -genkey} writes it (SEC1 {@code EC PRIVATE KEY} naming its curve). */
    private static String traditionalPem(CertificateAuthority ca) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ca.key().getEncoded());
        ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
        byte[] der = new ECPrivateKey(256, sec1.getKey(), info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END EC PRIVATE KEY-----\n";
    }

    private static ServingSans sans(List<String> dns, String ip) {
        try {
            return new ServingSans(dns, ip == null ? List.of() : List.of(InetAddress.getByName(ip)));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
