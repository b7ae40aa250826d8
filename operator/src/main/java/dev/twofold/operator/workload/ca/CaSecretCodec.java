package dev.twofold.operator.workload.ca;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trust domain's {@link CaState} as the {@code data} map of a Secret (values base64, as the API carries them), and
 * a user-provided root CA read from a {@code kubernetes.io/tls}-style Secret.
 *
 * <p>Layout: {@value #CURRENT_CERT}/{@value #CURRENT_KEY} (chain PEM, PKCS#8 PEM), {@value #NEXT_CERT}/
 * {@value #NEXT_KEY} when a next CA is prepared, and per retired CA {@code retired-<i>.crt} (chain PEM) with
 * {@code retired-<i>.keep-until} (RFC 3339). Decoding checks what it reads: PEM types, X.509, PKCS#8, CA flag and that
 * each key belongs to its certificate, with errors naming the data key.
 */
public final class CaSecretCodec {

    public static final String CURRENT_CERT = "ca.crt";
    public static final String CURRENT_KEY = "ca.key";
    public static final String NEXT_CERT = "next.crt";
    public static final String NEXT_KEY = "next.key";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    private static final String RETIRED_PREFIX = "retired-";
    private static final byte[] KEY_CHECK_MESSAGE = "twofold key check".getBytes(StandardCharsets.US_ASCII);

    private CaSecretCodec() {
    }

    /** The Secret {@code data} of {@code state} (base64 values). */
    public static Map<String, String> toSecretData(CaState state) {
        Map<String, String> data = new LinkedHashMap<>();
        if (state.current() != null) {
            data.put(CURRENT_CERT, base64(Pem.encodeCertificates(state.current().chain())));
            data.put(CURRENT_KEY, base64(Pem.encodePrivateKey(state.current().privateKey())));
        }
        if (state.next() != null) {
            data.put(NEXT_CERT, base64(Pem.encodeCertificates(state.next().chain())));
            data.put(NEXT_KEY, base64(Pem.encodePrivateKey(state.next().privateKey())));
        }
        for (int i = 0; i < state.retired().size(); i++) {
            RetiredCa retired = state.retired().get(i);
            data.put(RETIRED_PREFIX + i + ".crt", base64(Pem.encodeCertificates(retired.chain())));
            data.put(RETIRED_PREFIX + i + ".keep-until", base64(retired.keepUntil().toString()));
        }
        return data;
    }

    /**
     * The state stored in a Secret's {@code data}; {@code null} or empty data is {@link CaState#EMPTY} (a new trust
     * domain).
     */
    public static CaState fromSecretData(Map<String, String> data) throws CaMaterialException {
        if (data == null || data.isEmpty()) {
            return CaState.EMPTY;
        }
        CertificateAuthority current = keyPair(data, CURRENT_CERT, CURRENT_KEY);
        CertificateAuthority next = null;
        if (data.containsKey(NEXT_CERT) || data.containsKey(NEXT_KEY)) {
            next = keyPair(data, NEXT_CERT, NEXT_KEY);
        }
        List<RetiredCa> retired = new ArrayList<>();
        for (int i = 0; data.containsKey(RETIRED_PREFIX + i + ".crt"); i++) {
            String certKey = RETIRED_PREFIX + i + ".crt";
            String untilKey = RETIRED_PREFIX + i + ".keep-until";
            List<X509Certificate> chain = Pem.certificates(text(data, certKey), secretKey(certKey));
            String until = text(data, untilKey);
            try {
                retired.add(new RetiredCa(chain, Instant.parse(until.strip())));
            } catch (DateTimeParseException e) {
                throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_TIME,
                        secretKey(untilKey) + ": not an RFC 3339 time", e);
            }
        }
        return new CaState(current, next, retired);
    }

    /**
     * The root CA in a user's Secret: certificate (first PEM block of {@value #TLS_CERT}, more blocks are its chain)
     * and its PKCS#8 key in {@value #TLS_KEY}.
     */
    public static CertificateAuthority rootFromSecretData(Map<String, String> data) throws CaMaterialException {
        return keyPair(data == null ? Map.of() : data, TLS_CERT, TLS_KEY);
    }

    private static CertificateAuthority keyPair(Map<String, String> data, String certKey, String keyKey)
            throws CaMaterialException {
        List<X509Certificate> chain = Pem.certificates(text(data, certKey), secretKey(certKey));
        PrivateKey key = Pem.privateKey(text(data, keyKey), secretKey(keyKey));
        X509Certificate certificate = chain.get(0);
        if (certificate.getBasicConstraints() < 0) {
            throw new CaMaterialException(CaMaterialException.Reason.NOT_A_CA,
                    secretKey(certKey) + ": the certificate is not a CA (basicConstraints cA is not true)");
        }
        if (!belongsTo(key, certificate)) {
            throw new CaMaterialException(CaMaterialException.Reason.KEY_MISMATCH,
                    secretKey(keyKey) + ": the private key does not belong to the certificate in " + certKey);
        }
        return CertificateAuthority.of(chain, key);
    }

    /** Sign and verify: works for every key type without deriving public keys. */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        try {
            SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(key);
            Signature signer = Signature.getInstance(algorithm.jcaName());
            signer.initSign(key);
            signer.update(KEY_CHECK_MESSAGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm.jcaName());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(KEY_CHECK_MESSAGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(Map<String, String> data, String key) throws CaMaterialException {
        String value = data.get(key);
        if (value == null || value.isEmpty()) {
            throw new CaMaterialException(CaMaterialException.Reason.MISSING, secretKey(key) + ": missing");
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_ENCODING,
                    secretKey(key) + ": not base64", e);
        }
    }

    private static String secretKey(String key) {
        return "secret data \"" + key + "\"";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
