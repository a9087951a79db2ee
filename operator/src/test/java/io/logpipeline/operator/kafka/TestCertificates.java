package io.logpipeline.operator.kafka;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority made in the test, and certificates it signs: the broker's (for
 * 127.0.0.1 and localhost) and clients' (for mutual TLS, with CN=<user>, as Strimzi's TLS users).
 * PEM text throughout, keys in PKCS#8, as Kafka's Java client and Filebeat read them.
 */
public final class TestCertificates {

  /** A PEM certificate and its PEM PKCS#8 private key. */
  public record Pem(String certificate, String privateKey) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final String name;
  private final KeyPair key;
  private final X509Certificate certificate;

  private TestCertificates(String name, KeyPair key, X509Certificate certificate) {
    this.name = name;
    this.key = key;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code CN=<name>}. */
  public static TestCertificates authority(String name) {
    try {
      KeyPair key = keyPair();
      X500Name subject = new X500Name("CN=" + name);
      X509v3CertificateBuilder builder = builder(subject, subject, key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      return new TestCertificates(name, key, sign(builder, key));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String caPem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  public Pem server() {
    return issue("localhost", true);
  }

  /** A client certificate for {@code CN=<commonName>}. */
  public Pem client(String commonName) {
    return issue(commonName, false);
  }

  private Pem issue(String commonName, boolean server) {
    try {
      KeyPair leaf = keyPair();
      X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), new X500Name("CN=" + commonName), leaf);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (server) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      }
      X509Certificate cert = sign(builder, key);
      return new Pem(pem("CERTIFICATE", encoded(cert)), pem("PRIVATE KEY", leaf.getPrivate().getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, key.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return generator.generateKeyPair();
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
