package dev.twofold.e2e.workload;

import dev.twofold.e2e.support.TestCluster;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** What the workload E2E tests read and check the same way: PEM certificates, CSR PEM, PKIX, operator metrics. */
final class WorkloadCertificates {

    private WorkloadCertificates() {
    }

    /** Every CERTIFICATE block of {@code pem}, in order. */
    static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(c -> (X509Certificate) c).toList();
    }

    /** A DER PKCS#10 request as one PEM block. */
    static String csrPem(byte[] der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** Throws unless {@code chain} (leaf first) validates, PKIX, to one of {@code bundle}. */
    static void assertChainsTo(List<X509Certificate> chain, Collection<X509Certificate> bundle)
            throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(bundle.stream().map(ca -> new TrustAnchor(ca, null))
                .collect(Collectors.toSet()));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(chain), parameters);
    }

    /** The operator's Prometheus text. */
    static String operatorMetrics(TestCluster cluster) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + cluster.twofold().ports().operatorMetrics() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
