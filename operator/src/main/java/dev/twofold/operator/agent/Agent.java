package dev.twofold.operator.agent;

import dev.twofold.operator.pki.Pem;
import dev.twofold.operator.workload.issuance.CertificateResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fetches certificates for one pod and keeps them current in its directory. */
final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentOptions options;
    private final CertificateClient client;
    private final WorkloadKeys keys;
    private final CredentialDirectory directory;
    private final RenewalSchedule schedule;
    private final Clock clock;

    Agent(AgentOptions options, CertificateClient client, WorkloadKeys keys, CredentialDirectory directory,
            RenewalSchedule schedule, Clock clock) {
        this.options = options;
        this.client = client;
        this.keys = keys;
        this.directory = directory;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** One attempt: a new key, its request, the endpoint's answer written to the directory. */
    CertificateResponse fetchOnce() throws FetchFailed, IOException, InterruptedException {
        String token = Files.readString(options.tokenFile(), StandardCharsets.US_ASCII).strip();
        KeyPair pair = keys.generate(options.keyType());
        CertificateResponse issued = client.fetch(token, keys.certificateRequest(options.keyType(), pair));
        directory.write(Pem.privateKey(pair.getPrivate()), issued.certificateChain(), issued.trustBundle());
        return issued;
    }

    /** {@link #fetchOnce()} until it succeeds or {@code deadline} passes; true when a certificate was written. */
    boolean fetchUntil(Instant deadline) throws InterruptedException {
        int failures = 0;
        while (true) {
            Duration wait;
            try {
                written(fetchOnce());
                return true;
            } catch (FetchFailed | IOException e) {
                failures++;
                wait = failed(e, failures);
            }
            if (clock.instant().plus(wait).isAfter(deadline)) {
                log.error("agent giving up attempts={} after={}", failures, options.timeout());
                return false;
            }
            Thread.sleep(wait);
        }
    }

    /** Fetches, then renews before each certificate's refresh time, forever. */
    void run() throws InterruptedException {
        int failures = 0;
        while (true) {
            Duration wait;
            try {
                CertificateResponse issued = fetchOnce();
                failures = 0;
                Instant renewAt = written(issued);
                wait = Duration.between(clock.instant(), renewAt);
            } catch (FetchFailed | IOException e) {
                failures++;
                wait = failed(e, failures);
            }
            if (!wait.isNegative()) {
                Thread.sleep(wait);
            }
        }
    }

    private Instant written(CertificateResponse issued) {
        Instant renewAt = schedule.renewAt(Instant.parse(issued.notBefore()), Instant.parse(issued.notAfter()),
                Instant.parse(issued.beginRefreshAt()));
        log.info("agent certificate written dir={} spiffeId={} notAfter={} renewAt={} policy={}",
                options.directory(), issued.spiffeId(), issued.notAfter(), renewAt, issued.policy());
        return renewAt;
    }

    private Duration failed(Exception e, int failures) {
        Duration wait = e instanceof FetchFailed fetch && fetch.retryAfter().isPresent()
                ? fetch.retryAfter().get() : schedule.backoff(failures);
        String status = e instanceof FetchFailed fetch ? String.valueOf(fetch.status()) : "-";
        String message = e instanceof FetchFailed ? e.getMessage() : "cannot read the token or write the directory: "
                + e;
        log.warn("agent attempt failed attempt={} status={} retryIn={}ms error=\"{}\"", failures, status,
                wait.toMillis(), message);
        return wait;
    }
}
