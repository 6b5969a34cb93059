package dev.footprint.model;

import dev.footprint.model.export.TemperatureModels;
import dev.footprint.model.export.VersionPublisher;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Model repositories for tests: the exporter's models, a deliberately slow one, broken ones, the Keras fixture. */
public final class TestModels {
  private TestModels() {
  }

  /** The closed form as the formula model computes it: in double, rounded once to float32. */
  public static float celsius(float fahrenheit) {
    return (float) ((fahrenheit - 32.0) * 5.0 / 9.0);
  }

  public static Path formula(Path base, String name, long version) throws IOException {
    return VersionPublisher.publish(base.resolve(name), version, false, TemperatureModels::exportFormula);
  }

  public static Path linear(Path base, String name, long version, float weight, float bias) throws IOException {
    return VersionPublisher.publish(base.resolve(name), version, false, dir -> TemperatureModels.exportLinear(dir, weight, bias));
  }

  /**
   * {@code y = x}, after a {@code size}x{@code size} matrix product that depends on the input (so it
   * is neither constant-folded nor skipped): a model whose session calls take milliseconds, to
   * overload the server and make requests queue up.
   */
  public static Path slowIdentity(Path base, String name, long version, int size) throws IOException {
    return VersionPublisher.publish(base.resolve(name), version, false, dir -> {
      try (Graph graph = new Graph(); Session session = new Session(graph)) {
        Ops tf = Ops.create(graph);
        Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        var seed = tf.math.add(tf.math.mean(x, tf.constant(0)), tf.constant(1f));
        var matrix = tf.fill(tf.constant(new int[] {size, size}), seed);
        var product = tf.linalg.matMul(matrix, matrix);
        var zero = tf.math.mul(tf.reduceSum(product, tf.constant(new int[] {0, 1})), tf.constant(0f));
        Operand<TFloat32> y = tf.withName("y").math.add(x, zero);
        export(dir, session, Signature.builder().key(Signature.DEFAULT_KEY).input("x", x).output("y", y).build());
      }
    });
  }

  /** A SavedModel whose only signature takes int32: loads in TensorFlow, but this server cannot serve it. */
  public static Path wrongSignature(Path base, String name, long version) throws IOException {
    return VersionPublisher.publish(base.resolve(name), version, false, dir -> {
      try (Graph graph = new Graph(); Session session = new Session(graph)) {
        Ops tf = Ops.create(graph);
        Placeholder<TInt32> x = tf.withName("x").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        Operand<TInt32> y = tf.withName("y").math.add(x, tf.constant(1));
        export(dir, session, Signature.builder().key(Signature.DEFAULT_KEY).input("x", x).output("y", y).build());
      }
    });
  }

  /** A version folder whose saved_model.pb is not a SavedModel, published in one rename. */
  public static Path corrupt(Path base, String name, long version) throws IOException {
    return VersionPublisher.publish(base.resolve(name), version, false, dir -> {
      Files.createDirectories(dir.resolve("variables"));
      Files.writeString(dir.resolve("saved_model.pb"), "this is not a protocol buffer");
    });
  }

  /** Copies the Keras fixture (src/test/resources/models/keras_fahrenheit) into {@code base}. */
  public static void keras(Path base) throws IOException {
    Path source;
    try {
      source = Path.of(TestModels.class.getResource("/models/keras_fahrenheit").toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path target = base.resolve("keras_fahrenheit");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void export(Path dir, Session session, Signature signature) throws IOException {
    SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
  }
}
