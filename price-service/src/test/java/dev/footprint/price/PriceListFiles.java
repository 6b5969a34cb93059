package dev.footprint.price;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/** Price lists for tests and the benchmark, and the ways a deployment replaces one. */
final class PriceListFiles {
  private PriceListFiles() {
  }

  /** {@code count} lines {@code P0000001,1234.56}: 8-character ids, prices with 0 to 2 decimals, from a fixed seed. */
  static byte[] generated(int count, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(count * 18);
    for (int i = 1; i <= count; i++) {
      text.append(id(i)).append(',').append(random.nextInt(100_000));
      int decimals = random.nextInt(3);
      if (decimals > 0) {
        text.append('.').append(String.format("%0" + decimals + "d", random.nextInt(decimals == 1 ? 10 : 100)));
      }
      text.append('\n');
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static String id(int i) {
    return String.format("P%07d", i);
  }

  /** Replaces {@code file} as an editor or a deploy script should: a new file renamed over the old. */
  static void replaceAtomically(Path file, String content) {
    replaceAtomically(file, content.getBytes(StandardCharsets.UTF_8));
  }

  static void replaceAtomically(Path file, byte[] content) {
    try {
      Path next = Files.createTempFile(file.getParent(), ".next-", ".tmp");
      Files.write(next, content);
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
