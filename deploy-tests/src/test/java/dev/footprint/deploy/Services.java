package dev.footprint.deploy;

import dev.footprint.converter.ConverterApp;
import dev.footprint.core.ServiceSpec;
import dev.footprint.model.ModelServingApp;
import dev.footprint.price.PriceApp;

import java.util.Map;

/** The services that k8s/ deploys, by Deployment name, as their code defines them. */
final class Services {
  static final Map<String, ServiceSpec> BY_NAME = Map.of(
      ConverterApp.SPEC.name(), ConverterApp.SPEC,
      ModelServingApp.SPEC.name(), ModelServingApp.SPEC,
      PriceApp.SPEC.name(), PriceApp.SPEC);

  private Services() {
  }
}
