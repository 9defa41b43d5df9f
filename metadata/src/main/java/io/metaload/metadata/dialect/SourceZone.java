package io.metaload.metadata.dialect;

import com.google.auto.value.AutoValue;
import java.time.ZoneId;

/**
 * The zone a source stamps its date and zone-less date-time values in, and how metaload learnt it
 * (a {@code delta.timeZone} setting, the server's configured default, a session variable), for the
 * run's log and plan.
 */
@AutoValue
public abstract class SourceZone {
  public abstract ZoneId zone();

  /** Where the zone came from, e.g. {@code "server default (postgresql.conf)"}. */
  public abstract String basis();

  public static SourceZone of(ZoneId zone, String basis) {
    return new AutoValue_SourceZone(zone, basis);
  }

  /** E.g. {@code Europe/Berlin (delta.timeZone)}. */
  public String describe() {
    return zone().getId() + " (" + basis() + ")";
  }
}
