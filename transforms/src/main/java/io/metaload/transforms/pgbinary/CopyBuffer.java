package io.metaload.transforms.pgbinary;

import java.util.Arrays;

/** A growable byte buffer for COPY data, written big-endian and reused from batch to batch. */
public final class CopyBuffer {
  private byte[] bytes;
  private int size;

  public CopyBuffer(int capacity) {
    this.bytes = new byte[capacity];
  }

  public int size() {
    return size;
  }

  public byte[] array() {
    return bytes;
  }

  public void reset() {
    size = 0;
  }

  public void writeByte(int v) {
    ensure(1);
    bytes[size++] = (byte) v;
  }

  public void writeShort(int v) {
    ensure(2);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
  }

  public void writeInt(int v) {
    ensure(4);
    bytes[size++] = (byte) (v >>> 24);
    bytes[size++] = (byte) (v >>> 16);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
  }

  public void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
