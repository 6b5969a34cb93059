package dev.footprint.model.export;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.Arrays;
import java.util.List;

/**
 * Fits {@code celsius = fahrenheit * weight + bias} to sample pairs by gradient descent on the mean
 * squared error, in a TensorFlow graph ({@code tf.gradients} and {@code ApplyGradientDescent}).
 *
 * <p>The input is standardized first (zero mean, unit variance), so one learning rate suits inputs of
 * any scale; the fitted weight and bias are mapped back to raw Fahrenheit at the end.
 */
public final class LinearFit {
  /** The pairs the Keras tutorial fits, and the TensorFlow Serving model this replaces was fitted on. */
  public static final float[] SAMPLE_FAHRENHEIT = {-40f, 14f, 32f, 46.4f, 59f, 71.6f, 100.4f};
  public static final float[] SAMPLE_CELSIUS = {-40f, -10f, 0f, 8f, 15f, 22f, 38f};

  public record Fitted(float weight, float bias, float loss, int steps) {
  }

  private LinearFit() {
  }

  public static Fitted fit(float[] fahrenheit, float[] celsius, int steps, float learningRate) {
    if (fahrenheit.length != celsius.length || fahrenheit.length < 2) {
      throw new IllegalArgumentException("need at least 2 pairs, with as many Celsius as Fahrenheit values");
    }
    double mean = Arrays.stream(toDoubles(fahrenheit)).average().orElse(0);
    double variance = Arrays.stream(toDoubles(fahrenheit)).map(f -> (f - mean) * (f - mean)).average().orElse(0);
    double std = Math.sqrt(variance);
    if (std == 0) {
      throw new IllegalArgumentException("the Fahrenheit samples are all equal: nothing to fit a slope to");
    }
    float[] standardized = new float[fahrenheit.length];
    for (int i = 0; i < fahrenheit.length; i++) {
      standardized[i] = (float) ((fahrenheit[i] - mean) / std);
    }

    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Variable<TFloat32> w = tf.withName("w").variable(tf.constant(0f));
      Variable<TFloat32> b = tf.withName("b").variable(tf.constant(0f));
      var error = tf.math.sub(tf.math.add(tf.math.mul(x, w), b), y);
      var loss = tf.math.mean(tf.math.square(error), tf.constant(0));
      var gradients = tf.gradients(loss, List.of(w, b));
      var rate = tf.constant(learningRate);
      var stepW = tf.train.applyGradientDescent(w, rate, gradients.<TFloat32>dy(0));
      var stepB = tf.train.applyGradientDescent(b, rate, gradients.<TFloat32>dy(1));

      try (TFloat32 xs = TFloat32.vectorOf(standardized); TFloat32 ys = TFloat32.vectorOf(celsius)) {
        for (int i = 0; i < steps; i++) {
          session.runner().feed(x, xs).feed(y, ys).addTarget(stepW).addTarget(stepB).run().close();
        }
        try (Result result = session.runner().feed(x, xs).feed(y, ys).fetch(w).fetch(b).fetch(loss).run()) {
          float wStd = ((TFloat32) result.get(0)).getFloat();
          float bStd = ((TFloat32) result.get(1)).getFloat();
          float finalLoss = ((TFloat32) result.get(2)).getFloat();
          double weight = wStd / std;
          double bias = bStd - wStd * mean / std;
          return new Fitted((float) weight, (float) bias, finalLoss, steps);
        }
      }
    }
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }
}
