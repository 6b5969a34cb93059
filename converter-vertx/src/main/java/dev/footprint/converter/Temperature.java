package dev.footprint.converter;

/** The conversion itself, in double precision. */
public final class Temperature {
  private Temperature() {
  }

  public static double fahrenheitToCelsius(double fahrenheit) {
    return (fahrenheit - 32) * 5 / 9;
  }
}
