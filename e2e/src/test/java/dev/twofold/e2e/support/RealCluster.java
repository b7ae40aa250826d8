package dev.twofold.e2e.support;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives tests a {@link TestCluster}: the real etcd + kube-apiserver + Keycloak, started once per test run (kept in the
 * root store, closed when the run ends) and shared by every test class that asks for it. When a test fails, the last
 * lines of every started process's log are printed; the full logs stay under {@code e2e/target/cluster/}.
 */
public final class RealCluster implements ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    static TestCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(TestCluster.class, k -> TestCluster.start(), TestCluster.class);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Optional.ofNullable(context.getRoot().getStore(NAMESPACE).get(TestCluster.class, TestCluster.class))
                .ifPresent(cluster -> System.err.println(cluster.logTails(60)));
    }
}
