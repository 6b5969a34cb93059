package dev.footprint.price;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a big price list takes to load and how much heap it holds, measured the way the service
 * loads it (read the file, SHA-256, parse and build the catalog). Not a test: run it by hand, with the
 * heap the service would have, after {@code ./mvnw -pl price-service -am package -DskipTests}:
 *
 * <pre>
 * java -Xmx256m -XX:+UseSerialGC -cp price-service/target/price-service.jar:price-service/target/test-classes \
 *     dev.footprint.price.CatalogLoadBenchmark [products=1000000] [loads=7] [--hashmap]
 * </pre>
 *
 * Prints the file size, the first (cold JIT) and median later load times, the heap the catalog holds
 * (used heap after full GCs, with and without it), the catalog's own count of its arrays, and the bytes
 * one lookup allocates. {@code --hashmap} also measures a {@code HashMap<String, BigDecimal>} of the
 * same list, the obvious design this one replaces (run it with -Xmx1g for a million).
 */
public final class CatalogLoadBenchmark {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private CatalogLoadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int products = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int loads = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    boolean hashMap = Arrays.asList(args).contains("--hashmap");

    Path file = Files.createTempFile("prices-", ".txt");
    try {
      Files.write(file, PriceListFiles.generated(products, 42));
      System.out.printf("file: %,d products, %,d bytes%n", products, Files.size(file));
      System.out.printf("jvm: %s, max heap %d MiB, %d CPUs%n", Runtime.version(),
          Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

      long[] millis = new long[loads];
      LoadedPriceList list = null;
      for (int i = 0; i < loads; i++) {
        list = null;
        fullGc();
        long start = System.nanoTime();
        list = load(file);
        millis[i] = (System.nanoTime() - start) / 1_000_000;
      }
      long[] warm = Arrays.copyOfRange(millis, 1, loads);
      Arrays.sort(warm);
      System.out.printf("load (read + sha256 + parse): first %d ms, median of next %d %d ms, all %s ms%n",
          millis[0], warm.length, warm.length == 0 ? millis[0] : warm[warm.length / 2], Arrays.toString(millis));

      long with = usedAfterGc();
      int size = list.catalog().size();
      long estimate = list.catalog().retainedBytes();
      list = null;
      long without = usedAfterGc();
      System.out.printf("heap held by the catalog: %.1f MiB measured (used heap after GC %.1f MiB with it, %.1f MiB without), "
              + "%.1f MiB counted from its arrays, %.1f bytes a product%n",
          mib(with - without), mib(with), mib(without), mib(estimate), (double) estimate / size);

      lookupAllocation(load(file).catalog(), products);
      if (hashMap) {
        hashMapFootprint(file);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static LoadedPriceList load(Path file) throws Exception {
    long start = System.nanoTime();
    byte[] bytes = Files.readAllBytes(file);
    String sha256 = PriceListReloader.sha256(bytes);
    ParseResult result = PriceListParser.parse(bytes, "USD", 50_000_000);
    if (!(result instanceof ParseResult.Parsed parsed)) {
      throw new IllegalStateException("generated list rejected: " + ((ParseResult.Rejected) result).summary());
    }
    return new LoadedPriceList(parsed.catalog(), sha256, bytes.length, file.toString(), java.time.Instant.now(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Bytes allocated by one lookup and the writing of its price, from the thread's allocation counter. */
  private static void lookupAllocation(PriceCatalog catalog, int products) {
    String[] ids = new String[1024];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = PriceListFiles.id(1 + (int) ((long) i * products / ids.length));
    }
    byte[] out = new byte[PriceText.MAX_LENGTH];
    long checksum = 0;
    for (int i = 0; i < 2_000_000; i++) {
      checksum += catalog.writePrice(catalog.find(ids[i & 1023]), out, 0);
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    int lookups = 10_000_000;
    long before = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    for (int i = 0; i < lookups; i++) {
      checksum += catalog.writePrice(catalog.find(ids[i & 1023]), out, 0);
    }
    long nanos = System.nanoTime() - start;
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    System.out.printf("lookup + price written: %.4f bytes allocated a lookup, %.0f ns a lookup (%d lookups, checksum %d)%n",
        (double) allocated / lookups, (double) nanos / lookups, lookups, checksum);
  }

  private static void hashMapFootprint(Path file) throws Exception {
    long without = usedAfterGc();
    Map<String, BigDecimal> map = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      int comma = line.indexOf(',');
      map.put(line.substring(0, comma), new BigDecimal(line.substring(comma + 1)));
    }
    long with = usedAfterGc();
    System.out.printf("for comparison, HashMap<String, BigDecimal>: %.1f MiB for %,d products%n", mib(with - without), map.size());
  }

  private static long usedAfterGc() {
    fullGc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  private static void fullGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }
}
