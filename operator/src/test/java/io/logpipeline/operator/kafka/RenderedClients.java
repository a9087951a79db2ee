package io.logpipeline.operator.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's Java clients configured from exactly what the operator renders: Filebeat's Kafka output
 * (a producer, as Filebeat's sarama client would connect with these settings) and Logstash's
 * kafka input (a consumer: the plugin hands its options to this same client).
 */
final class RenderedClients {

  private static final Pattern SETTING = Pattern.compile("^\\s+([a-z_]+) => (\"(.*)\"|(\\S+))$");

  private RenderedClients() {}

  /** Producer properties from filebeat.yml's {@code output.kafka} in a container. */
  @SuppressWarnings("unchecked")
  static Properties filebeatProducer(Map<String, Object> output, PodFiles pod) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", (List<String>) output.get("hosts")));
    props.put(ProducerConfig.ACKS_CONFIG, String.valueOf(output.get("required_acks")).equals("-1") ? "all" : "1");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    boolean ssl = Boolean.TRUE.equals(output.get("ssl.enabled"));
    boolean sasl = output.containsKey("sasl.mechanism");
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        sasl ? (ssl ? "SASL_SSL" : "SASL_PLAINTEXT") : (ssl ? "SSL" : "PLAINTEXT"));
    if (sasl) {
      props.put(SaslConfigs.SASL_MECHANISM, output.get("sasl.mechanism"));
      props.put(SaslConfigs.SASL_JAAS_CONFIG, io.logpipeline.operator.model.KafkaSecurity.jaasConfig(
          pod.substitute((String) output.get("username")), pod.substitute((String) output.get("password"))));
    }
    if (output.get("ssl.certificate_authorities") instanceof List<?> cas) {
      props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pod.file((String) cas.get(0)).toString());
    }
    if (output.get("ssl.certificate") != null) {
      props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
      props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, pod.read((String) output.get("ssl.certificate")));
      props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, pod.read((String) output.get("ssl.key")));
    }
    return props;
  }

  /** The settings of the kafka input block of a generated Logstash pipeline, values unquoted. */
  static Map<String, String> logstashKafkaInput(String pipelineConfig) {
    Map<String, String> settings = new LinkedHashMap<>();
    boolean inKafka = false;
    for (String line : pipelineConfig.split("\n")) {
      if (line.equals("  kafka {")) {
        inKafka = true;
      } else if (inKafka && line.equals("  }")) {
        return settings;
      } else if (inKafka) {
        Matcher m = SETTING.matcher(line);
        if (!m.matches()) {
          throw new AssertionError("not a kafka input setting: " + line);
        }
        settings.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
      }
    }
    throw new AssertionError("no kafka input in " + pipelineConfig);
  }

  /** Consumer properties from Logstash's kafka input options, as the plugin passes them on. */
  static Properties logstashConsumer(Map<String, String> input, PodFiles pod) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, input.get("bootstrap_servers"));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, input.get("group_id"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, input.get("auto_offset_reset"));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // The plugin's defaults when the option is absent: PLAINTEXT, and GSSAPI for SASL.
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, input.getOrDefault("security_protocol", "PLAINTEXT"));
    props.put(SaslConfigs.SASL_MECHANISM, input.getOrDefault("sasl_mechanism", "GSSAPI"));
    if (input.containsKey("sasl_jaas_config")) {
      props.put(SaslConfigs.SASL_JAAS_CONFIG, pod.substitute(input.get("sasl_jaas_config")));
    }
    if (input.containsKey("ssl_truststore_location")) {
      props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pod.file(input.get("ssl_truststore_location")).toString());
      props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, input.get("ssl_truststore_type"));
    }
    if (input.containsKey("ssl_keystore_location")) {
      props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, pod.file(input.get("ssl_keystore_location")).toString());
      props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, input.get("ssl_keystore_type"));
    }
    return props;
  }
}
