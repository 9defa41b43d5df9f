package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.config.Secret;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code hash: { columns: [email], salt: "${env:PII_SALT}" }}: replaces each value by the
 * lower-case hex HMAC-SHA-256 of its text under the salt, so equal values still join while the
 * clear value never reaches the target or a reject. The salt is a secret reference, resolved on
 * each worker and never stored; a salt that cannot be resolved fails planning.
 */
public final class HashStep extends ColumnValuesStep {
  private static final long serialVersionUID = 1L;
  private static final String ALGORITHM = "HmacSHA256";

  private final Secret salt;

  HashStep(List<String> columns, Secret salt) {
    super(columns, true);
    this.salt = salt;
  }

  @Override
  Column output(Column c) {
    if (c.type() == ColumnType.BYTES) {
      throw new StepConfigException(
          "column '" + c.name() + "' is binary; hash text, number, date or uuid columns");
    }
    return Column.of(c.name(), ColumnType.STRING, 64, 0, c.nullable(), false, "varchar");
  }

  @Override
  UnaryOperator<Object> values() {
    Mac mac = mac(salt.value());
    return v ->
        hex(
            mac.doFinal(
                (v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : v.toString())
                    .getBytes(StandardCharsets.UTF_8)));
  }

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /**
   * Lower-case hex by table, into a Latin-1 string (HexFormat took a third of this step in a
   * profile).
   */
  private static String hex(byte[] digest) {
    byte[] text = new byte[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      text[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xF];
      text[2 * i + 1] = HEX_DIGITS[digest[i] & 0xF];
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  private static Mac mac(String key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("this JVM cannot compute " + ALGORITHM, e);
    }
  }

  /** Registers {@code hash}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "hash";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      arguments.allowOnly("columns", "salt");
      String reference = arguments.string("salt");
      if (!Secret.isReference(reference)) {
        throw new StepConfigException(
            "field 'salt' must be a reference such as ${env:PII_SALT} or ${file:/run/secrets/salt}, "
                + "never the salt itself");
      }
      Secret salt;
      try {
        salt = Secret.parse(reference, System::getenv);
      } catch (MetaloadException e) {
        throw new StepConfigException(
            "field 'salt': " + e.getMessage().replace("the password's", "the salt's"));
      }
      if (salt.value().isEmpty()) {
        throw new StepConfigException("field 'salt': " + reference + " is empty");
      }
      return new HashStep(arguments.strings("columns"), salt);
    }
  }
}
