package dev.twofold.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientKeyAlgorithmTest {

    @ParameterizedTest(name = "a PKCS#8 {0} client key is read as {1}")
    @CsvSource({"EC, EC", "RSA, RSA"})
    void the_client_key_algorithm_is_read_from_the_key(String generated, String expected) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(generated);
        generator.initialize(generated.equals("EC") ? 256 : 2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Config config = new ConfigBuilder(Config.empty())
                .withClientKeyData(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .withClientKeyAlgo("RSA")
                .build();

        ClientKeyAlgorithm.detect(config);

        assertThat(config.getClientKeyAlgo()).isEqualTo(expected);
    }
}
