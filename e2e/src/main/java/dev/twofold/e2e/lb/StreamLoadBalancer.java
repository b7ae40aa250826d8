package dev.twofold.e2e.lb;

import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A TCP load balancer on loopback in front of several replicas: Debian's nginx in stream mode, run in the foreground
 * with its own configuration, pid and logs in one directory (the system service is never touched). TLS passes through
 * untouched, as a cloud L4 balancer or a Service's kube-proxy rules would pass it. A replica that refuses connections
 * is skipped: nginx tries the next one within {@link #CONNECT_TIMEOUT}, and leaves the refusing one out for
 * {@link #FAIL_TIMEOUT}.
 */
public final class StreamLoadBalancer implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration FAIL_TIMEOUT = Duration.ofSeconds(5);
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"));
    private static final List<Path> STREAM_MODULES = List.of(
            Path.of("/usr/lib/nginx/modules/ngx_stream_module.so"),
            Path.of("/usr/lib64/nginx/modules/ngx_stream_module.so"),
            Path.of("/usr/share/nginx/modules/ngx_stream_module.so"));
    private static final String INSTALL_HINT = "install it with 'apt-get install nginx-light libnginx-mod-stream'";
    private static final Duration START = Duration.ofSeconds(30);

    private final ManagedProcess process;
    private final int port;

    private StreamLoadBalancer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts nginx as {@code name}, listening on a free loopback port and balancing connections over
     * {@code upstreamPorts} on 127.0.0.1 (least connections); returns once the port accepts connections.
     */
    public static StreamLoadBalancer start(String name, Path dir, List<Integer> upstreamPorts) {
        if (upstreamPorts.isEmpty()) throw new IllegalArgumentException("a load balancer needs at least one upstream");
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new ProcessFailure("nginx is not installed (looked for " + BINARIES + "); " + INSTALL_HINT));
        Path module = streamModule().orElseThrow(() -> new ProcessFailure("nginx's stream module is not installed"
                + " (looked for " + STREAM_MODULES + "); " + INSTALL_HINT));
        int port = Ports.free();
        Path home = dir.resolve(name);
        try {
            Files.createDirectories(home.resolve("logs"));
            Files.writeString(home.resolve("nginx.conf"), configuration(module, home, port, upstreamPorts));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the configuration of " + name, e);
        }
        ManagedProcess nginx = ManagedProcess.start(name, List.of(binary.toString(), "-p", home.toString(),
                "-c", home.resolve("nginx.conf").toString(), "-g", "daemon off;"), Map.of(), dir);
        try {
            nginx.awaitReady(() -> Ports.listening(port), START);
        } catch (RuntimeException e) {
            nginx.close();
            throw e;
        }
        return new StreamLoadBalancer(nginx, port);
    }

    /** The stream module's shared object, if installed. */
    public static Optional<Path> streamModule() {
        return STREAM_MODULES.stream().filter(Files::isRegularFile).findFirst();
    }

    static String configuration(Path module, Path home, int port, List<Integer> upstreamPorts) {
        String servers = upstreamPorts.stream()
                .map(p -> "        server 127.0.0.1:%d max_fails=1 fail_timeout=%ds;".formatted(p, FAIL_TIMEOUT.toSeconds()))
                .collect(Collectors.joining("\n"));
        return """
                load_module %s;
                worker_processes 1;
                pid %s;
                error_log %s info;
                events {
                    worker_connections 1024;
                }
                stream {
                    log_format session '$msec $remote_addr:$remote_port -> $upstream_addr $status sent=$bytes_sent received=$bytes_received time=$session_time connect=$upstream_connect_time';
                    access_log %s session;
                    upstream replicas {
                        least_conn;
                %s
                    }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_pass replicas;
                        proxy_connect_timeout %ds;
                        proxy_next_upstream on;
                        proxy_next_upstream_tries %d;
                        proxy_timeout 60s;
                    }
                }
                """.formatted(module, home.resolve("nginx.pid"), home.resolve("logs/error.log"),
                home.resolve("logs/access.log"), servers, port, CONNECT_TIMEOUT.toSeconds(), upstreamPorts.size());
    }

    public int port() { return port; }
    public ManagedProcess process() { return process; }

    /** One TCP session nginx relayed, logged when it ended. */
    public record Session(Instant ended, String upstream, String line) {
        static Session parse(String line) {
            String[] fields = line.split(" ");
            String[] seconds = fields[0].split("\\.");
            Instant ended = Instant.ofEpochSecond(Long.parseLong(seconds[0]), Long.parseLong(seconds[1]) * 1_000_000);
            return new Session(ended, fields[3], line);
        }

        /** Whether the session went (last) to the replica on {@code port}. */
        public boolean reached(int port) {
            return upstream.endsWith(":" + port);
        }
    }

    /** The sessions nginx logged so far (client, upstream, status, bytes, times), in the order they ended. */
    public List<Session> sessions() {
        Path log = process.logFile().resolveSibling(process.name()).resolve("logs/access.log");
        if (!Files.isRegularFile(log)) return List.of();
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> !l.isBlank()).map(Session::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
