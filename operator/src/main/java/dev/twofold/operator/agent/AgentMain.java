package dev.twofold.operator.agent;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * {@code twofold agent}: see {@link AgentOptions#USAGE}. Exit codes: 0 after {@code --once} wrote a certificate,
 * 1 when it could not in time (or the setup failed), 2 for a bad command line.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(AgentOptions.USAGE);
            return;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(List.of(args));
        } catch (AgentOptions.InvalidFlag e) {
            System.err.println("twofold agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        Agent agent;
        try {
            agent = new Agent(options, new CertificateClient(options.server(), options.serverCa()),
                    new WorkloadKeys(random), new CredentialDirectory(options.directory(), clock),
                    new RenewalSchedule(random), clock);
        } catch (IOException e) {
            System.err.println("twofold agent: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.once()) {
            System.exit(agent.fetchUntil(clock.instant().plus(options.timeout())) ? 0 : 1);
        }
        agent.run();
    }
}
