package dev.twofold.operator.workload.issuer;

import dev.twofold.api.v1alpha1.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Verifies a PKCS#10 certificate request (PEM {@code CERTIFICATE REQUEST} or DER) and returns its public key: subject,
 * attributes and requested extensions never reach a certificate, which is built from policy (STYLE 8). The one thing
 * read besides the key is the SPIFFE IDs a request asks for (URI names of a requested subjectAltName), so that the
 * issuer can refuse a request for a foreign identity instead of answering it with the pod's own. Checks: size limit, strict structure (DER that re-encodes to itself), version 1, a supported signature
 * algorithm matching the key, the self-signature (proof of possession), and a key type Twofold certifies.
 */
public final class CsrVerifier {

    /** CSRs are a few hundred bytes (RSA 4096: about 1.7 KiB of PEM); anything near this limit is not one. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE REQUEST-----";
    private static final String PEM_END = "-----END CERTIFICATE REQUEST-----";
    private static final int BIT_STRING = 0x03;

    /** Supported CSR signature algorithms; SHA-1 and MD5 are not. */
    private static final Map<ASN1ObjectIdentifier, SignatureScheme> SCHEMES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, SignatureScheme.ECDSA_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384, SignatureScheme.ECDSA_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512, SignatureScheme.ECDSA_SHA512,
            PKCSObjectIdentifiers.sha256WithRSAEncryption, SignatureScheme.RSA_PKCS1_SHA256,
            PKCSObjectIdentifiers.sha384WithRSAEncryption, SignatureScheme.RSA_PKCS1_SHA384,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, SignatureScheme.RSA_PKCS1_SHA512,
            EdECObjectIdentifiers.id_Ed25519, SignatureScheme.ED25519);

    private final SignatureVerifier verifier;
    private final int maxBytes;

    public CsrVerifier(SignatureVerifier verifier) {
        this(verifier, DEFAULT_MAX_BYTES);
    }

    public CsrVerifier(SignatureVerifier verifier, int maxBytes) {
        this.verifier = verifier;
        this.maxBytes = maxBytes;
    }

    /** The request's public key, once its self-signature verifies. */
    public VerifiedPublicKey verify(byte[] request) throws RequestRejectedException {
        if (request == null || request.length == 0) {
            throw malformed("the request is empty");
        }
        if (request.length > maxBytes) {
            throw new RequestRejectedException(RequestRejectedException.Reason.TOO_LARGE, "the request is "
                    + request.length + " bytes; at most " + maxBytes + " are accepted");
        }
        byte[] der = looksLikePem(request) ? pemToDer(request) : request;

        // The exact bytes the signature covers: the first element of the outer SEQUENCE, as sent.
        Der.Tlv outer = Der.read(der, 0, der.length);
        if (outer == null || outer.tag() != Der.SEQUENCE || outer.end() != der.length) {
            throw malformed("not a DER PKCS#10 request (outer SEQUENCE)");
        }
        Der.Tlv info = Der.read(der, outer.contentStart(), outer.end());
        Der.Tlv algorithm = info == null ? null : Der.read(der, info.end(), outer.end());
        Der.Tlv signature = algorithm == null ? null : Der.read(der, algorithm.end(), outer.end());
        if (info == null || info.tag() != Der.SEQUENCE || algorithm == null || algorithm.tag() != Der.SEQUENCE
                || signature == null || signature.tag() != BIT_STRING || signature.end() != outer.end()) {
            throw malformed("not a DER PKCS#10 request (expected info, algorithm and signature)");
        }
        byte[] signedBytes = Arrays.copyOfRange(der, outer.contentStart(), info.end());

        CertificationRequest parsed;
        try {
            parsed = CertificationRequest.getInstance(der);
            if (!Arrays.equals(parsed.getEncoded(), der)) {
                throw malformed("not DER (the request does not re-encode to itself)");
            }
        } catch (RequestRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw malformed("not a PKCS#10 request (" + e.getClass().getSimpleName() + ")");
        }
        CertificationRequestInfo requestInfo = parsed.getCertificationRequestInfo();
        if (requestInfo.getVersion().intValueExact() != 0) {
            throw malformed("unsupported PKCS#10 version " + requestInfo.getVersion());
        }
        ASN1ObjectIdentifier signatureOid = parsed.getSignatureAlgorithm().getAlgorithm();
        SignatureScheme scheme = SCHEMES.get(signatureOid);
        if (scheme == null) {
            throw new RequestRejectedException(RequestRejectedException.Reason.UNSUPPORTED_SIGNATURE_ALGORITHM,
                    "signature algorithm " + signatureOid.getId() + " is not supported (use ECDSA or RSA with "
                            + "SHA-256/384/512, or Ed25519)");
        }
        if (parsed.getSignature().getPadBits() != 0) {
            throw malformed("the signature BIT STRING has unused bits");
        }

        SubjectPublicKeyInfo keyInfo = requestInfo.getSubjectPublicKeyInfo();
        PublicKeys.Algorithm keyAlgorithm = PublicKeys.algorithm(keyInfo);
        boolean matches = switch (keyAlgorithm) {
            case EC -> scheme.isEcdsa();
            case RSA -> scheme.isRsa();
            case ED25519 -> scheme == SignatureScheme.ED25519;
            case OTHER_KNOWN, UNKNOWN -> throw new RequestRejectedException(
                    RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE, "public key algorithm "
                    + keyInfo.getAlgorithm().getAlgorithm().getId() + " is not supported; use ECDSAP256, "
                    + "ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096");
        };
        if (!matches) {
            throw malformed("the signature algorithm does not fit the " + keyAlgorithm + " key");
        }
        PublicKey key;
        try {
            key = PublicKeys.toJdk(keyInfo, keyAlgorithm);
        } catch (GeneralSecurityException e) {
            throw new RequestRejectedException(RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                    "the " + keyAlgorithm + " public key does not parse or uses an unsupported curve");
        }
        // Classify first: a curve the provider cannot verify with must read as unsupported, not as a bad signature.
        KeyType type = KeyClassifier.classify(key);
        if (!verifier.verify(key, scheme, signedBytes, parsed.getSignature().getOctets())) {
            throw new RequestRejectedException(RequestRejectedException.Reason.BAD_SIGNATURE,
                    "the request's signature does not verify with its public key");
        }
        return new VerifiedPublicKey(key, type, requestedSpiffeIds(requestInfo));
    }

    /** URI names starting {@code spiffe:} in the requested subjectAltName extension, in order. */
    private static List<String> requestedSpiffeIds(CertificationRequestInfo info) throws RequestRejectedException {
        List<String> ids = new ArrayList<>();
        ASN1Set attributes = info.getAttributes();
        if (attributes == null) {
            return ids;
        }
        try {
            for (ASN1Encodable element : attributes) {
                Attribute attribute = Attribute.getInstance(element);
                if (!PKCSObjectIdentifiers.pkcs_9_at_extensionRequest.equals(attribute.getAttrType())) {
                    continue;
                }
                for (ASN1Encodable value : attribute.getAttrValues()) {
                    GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value),
                            Extension.subjectAlternativeName);
                    if (names == null) {
                        continue;
                    }
                    for (GeneralName name : names.getNames()) {
                        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                            String uri = ASN1IA5String.getInstance(name.getName()).getString();
                            if (uri.regionMatches(true, 0, "spiffe:", 0, 7)) {
                                ids.add(uri);
                            }
                        }
                    }
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw malformed("the requested extensions do not parse (" + e.getClass().getSimpleName() + ")");
        }
        return ids;
    }

    private static boolean looksLikePem(byte[] request) {
        for (byte b : request) {
            if (b == '-') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }

    /** Exactly one CERTIFICATE REQUEST block, nothing but whitespace around it, no headers, strict base64. */
    private static byte[] pemToDer(byte[] request) throws RequestRejectedException {
        String text = new String(request, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)
                || text.indexOf(PEM_BEGIN, 1) >= 0 || text.indexOf(PEM_END) != text.length() - PEM_END.length()) {
            throw malformed("expected exactly one PEM block of type CERTIFICATE REQUEST");
        }
        String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length());
        if (body.indexOf(':') >= 0) {
            throw malformed("the PEM block has headers");
        }
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                base64.append(c);
            }
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64.toString());
            if (der.length == 0) {
                throw malformed("the PEM block is empty");
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw malformed("the PEM block is not valid base64");
        }
    }

    private static RequestRejectedException malformed(String message) {
        return new RequestRejectedException(RequestRejectedException.Reason.MALFORMED, message);
    }
}
