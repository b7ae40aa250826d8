package dev.twofold.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.e2e.support.Command;
import dev.twofold.e2e.support.TestCluster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build script behind the binary cache: corrupt binaries are rebuilt, a missing toolchain is named. */
class ControlPlaneBinariesIT {
    private static final Path SCRIPT = TestCluster.projectRoot().resolve("e2e/bin/build-control-plane.sh");

    @TempDir
    Path temp;

    @Test
    void a_half_written_cached_binary_is_detected_and_rebuilt() throws IOException {
        ControlPlaneBinaries.ensure(TestCluster.projectRoot());
        Path cache = temp.resolve("k8s");
        Files.createDirectories(cache);
        for (String name : new String[] {"kube-apiserver", "kube-apiserver.sha256", "kubectl", "kubectl.sha256", "etcd", "etcd.sha256"}) {
            Files.copy(ControlPlaneBinaries.defaultDir().resolve(name), cache.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (RandomAccessFile etcd = new RandomAccessFile(cache.resolve("etcd").toFile(), "rw")) {
            etcd.setLength(etcd.length() / 2); // as if a copy had been cut off
        }

        var result = Command.run(temp, Map.of("TWOFOLD_K8S_DIR", cache.toString()), Duration.ofMinutes(10), "bash", SCRIPT.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("etcd is corrupt (checksum mismatch); rebuilding", "compiling etcd")
                .doesNotContain("compiling kube-apiserver");
        var check = Command.run(temp, Map.of(), Duration.ofMinutes(1), cache.resolve("etcd").toString(), "--version");
        assertThat(check.output()).contains("etcd Version: 3.6.");
    }

    @Test
    void without_go_the_error_says_so() {
        var result = Command.run(temp, Map.of("PATH", "/usr/bin:/bin", "TWOFOLD_K8S_DIR", temp.resolve("empty").toString()),
                Duration.ofMinutes(1), "/bin/bash", SCRIPT.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("error: Go is not installed");
    }

    @Test
    void an_unreachable_module_proxy_is_named_in_the_error() {
        var result = Command.run(temp, Map.of("GOPROXY", "off", "GOMODCACHE", temp.resolve("modcache").toString(),
                        "TWOFOLD_K8S_DIR", temp.resolve("empty").toString()),
                Duration.ofMinutes(2), "bash", SCRIPT.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("could not download k8s.io/kubernetes v1.35.4 (is the Go module proxy reachable? GOPROXY=off)");
    }
}
