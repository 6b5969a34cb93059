package dev.footprint.model.export;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The Fahrenheit to Celsius graphs, written as SavedModels in TensorFlow Serving's layout: tag
 * {@code serve}, signature {@code serving_default}, input {@code fahrenheit} (float32, shape [-1]),
 * output {@code celsius} (float32, shape [-1]).
 */
public final class TemperatureModels {
  public static final String INPUT = "fahrenheit";
  public static final String OUTPUT = "celsius";
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  private TemperatureModels() {
  }

  /**
   * The closed form, {@code (fahrenheit - 32) * 5 / 9}, computed in float64 inside the graph and
   * rounded once to float32: the answer is the float32 nearest the exact value (212 gives exactly
   * 100), and no finite float32 input overflows on the way.
   */
  public static void exportFormula(Path directory) throws IOException {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> fahrenheit = input(tf);
      var wide = tf.dtypes.cast(fahrenheit, TFloat64.class);
      var exact = tf.math.div(tf.math.mul(tf.math.sub(wide, tf.constant(32d)), tf.constant(5d)), tf.constant(9d));
      Operand<TFloat32> celsius = tf.withName(OUTPUT).dtypes.cast(exact, TFloat32.class);
      export(directory, session, fahrenheit, celsius);
    }
  }

  /**
   * {@code fahrenheit * weight + bias}, weight and bias held as variables: the form a trained
   * model has (a Keras {@code Dense(1)}), restored from the SavedModel's variables at load.
   */
  public static void exportLinear(Path directory, float weight, float bias) throws IOException {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> fahrenheit = input(tf);
      var w = tf.withName("weight").variable(tf.constant(weight));
      var b = tf.withName("bias").variable(tf.constant(bias));
      Operand<TFloat32> celsius = tf.withName(OUTPUT).math.add(tf.math.mul(fahrenheit, w), b);
      export(directory, session, fahrenheit, celsius);
    }
  }

  private static Placeholder<TFloat32> input(Ops tf) {
    return tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
  }

  private static void export(Path directory, Session session, Operand<TFloat32> input, Operand<TFloat32> output)
      throws IOException {
    Signature signature = Signature.builder()
        .key(Signature.DEFAULT_KEY)
        .methodName(PREDICT_METHOD)
        .input(INPUT, input)
        .output(OUTPUT, output)
        .build();
    org.tensorflow.SavedModelBundle.exporter(directory.toString())
        .withFunction(SessionFunction.create(signature, session))
        .export();
  }
}
