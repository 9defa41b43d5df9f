package io.metaload.transforms.pgbinary;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postgresql.util.ByteConverter;

class NumericDigitsTest {
  /**
   * The driver's encoder gives zero the weight -1 and this one 0; the server reads both as zero.
   */
  @Test
  void everyCommonDecimalReadsBackAsItselfAndWritesWhatTheDriverWrites() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      int scale = random.nextInt(17);
      int digits = 1 + random.nextInt(18);
      BigInteger unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
      BigDecimal d = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), scale);
      assertRoundTrip(d);
    }
  }

  @Test
  void edgesOfTheCommonCaseReadBackAsThemselves() {
    for (String s :
        new String[] {
          "0",
          "0.00",
          "-0.01",
          "0.0001",
          "0.00001",
          "1",
          "-1",
          "9999",
          "10000",
          "10000.0001",
          "999999999999999999",
          "-999999999999999999",
          "0.9999999999999999",
          "12345678.12345678",
          "100000000.00000000",
          "0.0000000000000001"
        }) {
      assertRoundTrip(new BigDecimal(s));
    }
  }

  @Test
  void decimalsBeyondTheCommonCaseAreLeftToTheGeneralEncoder() {
    for (String s :
        new String[] {
          "1E+5", "1234567890123456789", "0.12345678901234567", "-99999999999999999999.5"
        }) {
      CopyBuffer out = new CopyBuffer(16);
      assertThat(s, NumericDigits.write(out, new BigDecimal(s)), is(false));
      assertThat(out.size(), equalTo(0));
    }
  }

  private static void assertRoundTrip(BigDecimal d) {
    CopyBuffer out = new CopyBuffer(64);
    assertThat(d.toPlainString(), NumericDigits.write(out, d), is(true));
    byte[] field = Arrays.copyOfRange(out.array(), 4, out.size());
    BigDecimal back = (BigDecimal) ByteConverter.numeric(field);
    assertThat(d.toPlainString(), back, comparesEqualTo(d));
    assertThat(d.toPlainString(), back.scale(), equalTo(d.scale()));
    if (d.signum() != 0) {
      assertThat(d.toPlainString(), field, equalTo(ByteConverter.numeric(d)));
    }
  }
}
