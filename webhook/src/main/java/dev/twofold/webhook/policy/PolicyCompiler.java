package dev.twofold.webhook.policy;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.validation.ValidationResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the informer's MfaPolicies into a {@link PolicySet}. Each object version is compiled once (cached by uid and
 * resourceVersion), so a change to one policy recompiles only that one. Invalid policies are left out of the set and
 * logged once per version; the operator reports them on their status.
 */
public final class PolicyCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyCompiler.class);

    private record Version(String uid, String resourceVersion) {
    }

    private record Compiled(Version version, Compilation compilation) {
    }

    private Map<String, Compiled> cache = new HashMap<>();

    /** The set of the valid policies among {@code policies}. */
    public synchronized PolicySet compile(Collection<MfaPolicy> policies) {
        Map<String, Compiled> next = new HashMap<>();
        List<CompiledPolicy> valid = new ArrayList<>();
        for (MfaPolicy policy : policies) {
            String name = policy.getMetadata().getName();
            Version version = new Version(policy.getMetadata().getUid(), policy.getMetadata().getResourceVersion());
            Compiled compiled = cache.get(name);
            if (compiled == null || !compiled.version().equals(version)) {
                compiled = new Compiled(version, compileOne(policy));
            }
            next.put(name, compiled);
            if (compiled.compilation() instanceof Compilation.Compiled ok) {
                valid.add(ok.policy());
            }
        }
        cache = next;
        return PolicySet.of(valid);
    }

    private static Compilation compileOne(MfaPolicy policy) {
        String name = policy.getMetadata().getName();
        Compilation compilation;
        try {
            compilation = CompiledPolicy.compile(policy);
        } catch (RuntimeException e) {
            // A spec the validator let through but the compiler cannot take: skip it rather than lose every policy.
            LOG.atError().addKeyValue("policy", name).setCause(e).log("MfaPolicy skipped: compilation failed");
            return new Compilation.Rejected(name, ValidationResult.OK);
        }
        if (compilation instanceof Compilation.Rejected rejected) {
            LOG.atWarn().addKeyValue("policy", name)
                    .addKeyValue("resourceVersion", policy.getMetadata().getResourceVersion())
                    .addKeyValue("errors", rejected.validation().errorSummary())
                    .log("MfaPolicy skipped: invalid");
        }
        return compilation;
    }
}
