package dev.twofold.operator.workload.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;

/** Whether a user-provided root may sign an intermediate now. */
final class RootCheck {

    private static final int KEY_CERT_SIGN = 5;

    private RootCheck() {
    }

    static void check(X509Certificate root, Instant now) throws CaMaterialException {
        int pathLength = root.getBasicConstraints();
        if (pathLength < 0) {
            throw new CaMaterialException(CaMaterialException.Reason.NOT_A_CA,
                    "the root certificate is not a CA (basicConstraints cA is not true)");
        }
        if (pathLength == 0) {
            throw new CaMaterialException(CaMaterialException.Reason.NOT_A_CA,
                    "the root certificate has pathLenConstraint 0, so it cannot sign an intermediate CA");
        }
        boolean[] keyUsage = root.getKeyUsage();
        if (keyUsage != null && !keyUsage[KEY_CERT_SIGN]) {
            throw new CaMaterialException(CaMaterialException.Reason.NOT_A_CA,
                    "the root certificate's key usage lacks keyCertSign");
        }
        if (now.isBefore(root.getNotBefore().toInstant()) || !now.isBefore(root.getNotAfter().toInstant())) {
            throw new CaMaterialException(CaMaterialException.Reason.NOT_VALID_NOW, "the root certificate is valid "
                    + "from " + root.getNotBefore().toInstant() + " to " + root.getNotAfter().toInstant()
                    + ", not now (" + now + ")");
        }
    }
}
