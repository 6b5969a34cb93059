package dev.footprint.price;

import java.util.List;

/** What parsing a price list gave: a catalog, or the reasons it was rejected. */
sealed interface ParseResult {

  record Parsed(PriceCatalog catalog) implements ParseResult {
  }

  /**
   * @param errors    the first errors, in line order
   * @param stoppedEarly true when parsing stopped at {@link PriceListParser#MAX_ERRORS} errors
   */
  record Rejected(List<LineError> errors, boolean stoppedEarly) implements ParseResult {
    public Rejected {
      errors = List.copyOf(errors);
    }

    /** One line for a log or an HTTP answer: the first errors, then how many more. */
    String summary() {
      StringBuilder text = new StringBuilder();
      int shown = Math.min(3, errors.size());
      for (int i = 0; i < shown; i++) {
        text.append(i == 0 ? "" : "; ").append(errors.get(i));
      }
      if (errors.size() > shown || stoppedEarly) {
        text.append("; and ").append(stoppedEarly ? "more" : String.valueOf(errors.size() - shown) + " more");
      }
      return text.toString();
    }
  }
}
