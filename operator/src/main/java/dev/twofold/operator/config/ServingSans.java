package dev.twofold.operator.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The subject alternative names of the webhook's serving certificate.
 *
 * @param dnsNames never {@code null}
 * @param ipAddresses never {@code null}
 */
public record ServingSans(List<String> dnsNames, List<InetAddress> ipAddresses) {

    public ServingSans {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("the serving certificate needs at least one DNS name or IP address");
        }
    }
}
