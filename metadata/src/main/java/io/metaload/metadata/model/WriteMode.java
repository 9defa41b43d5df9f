package io.metaload.metadata.model;

/** How a validated staging table is published into the target. */
public enum WriteMode {
  /** Replace the target table by the staging table in one step. */
  SWAP
}
