package dev.footprint.deploy;

import java.util.ArrayList;
import java.util.List;

/** Every rendering the checks run over: the base, each overlay, and the base with each component. */
final class Renderings {
  private Renderings() {
  }

  static List<Manifests.Rendered> all() {
    List<Manifests.Rendered> all = new ArrayList<>();
    Manifests.kustomizations().forEach((name, path) -> all.add(Manifests.render(name, path)));
    Manifests.components().forEach((name, path) -> all.add(Manifests.renderComponent(name, path)));
    return all;
  }

  /** The base alone, which every other rendering builds on. */
  static Manifests.Rendered base() {
    return Manifests.render("base", Manifests.kustomizations().get("base"));
  }

  /** What users apply as is. */
  static List<Manifests.Rendered> applied() {
    List<Manifests.Rendered> all = new ArrayList<>();
    Manifests.kustomizations().forEach((name, path) -> all.add(Manifests.render(name, path)));
    return all;
  }
}
