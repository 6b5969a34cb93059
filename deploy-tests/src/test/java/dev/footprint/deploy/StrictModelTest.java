package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strict validation against the Kubernetes API as fabric8's model 7.7.0 types it: every object must
 * read into its typed class, and no field may be unknown. fabric8 does not fail on unknown fields, it
 * keeps them in {@code getAdditionalProperties()}; so this walks every object and requires each of
 * those maps to be empty. A misspelt or misplaced field ({@code readinesProbe}, {@code limits} under
 * the container) fails here, as it would be silently dropped by a cluster.
 */
class StrictModelTest {
  /** Custom resources without a fabric8 model: checked by their own tests. */
  private static final Set<String> UNTYPED_ALLOWED = Set.of("k6.io/v1alpha1/TestRun");

  static List<Manifests.Rendered> renderings() {
    return Renderings.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyObjectIsTypedAndHasNoUnknownField(Manifests.Rendered rendered) {
    assertThat(rendered.objects()).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (HasMetadata object : rendered.objects()) {
      String id = object.getApiVersion() + "/" + object.getKind();
      String where = id + " " + object.getMetadata().getName();
      if (object instanceof GenericKubernetesResource) {
        if (!UNTYPED_ALLOWED.contains(id)) {
          problems.add(where + ": no typed model (unknown apiVersion or kind)");
        }
        continue;
      }
      walk(object, where, problems, new IdentityHashMap<>());
    }
    assertThat(problems).as("unknown fields in %s", rendered).isEmpty();
  }

  static void walk(Object node, String path, List<String> problems, Map<Object, Boolean> seen) {
    if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum<?>
        || seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "." + key, problems, seen));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      String name = getter.getName();
      if (!name.startsWith("get") || name.equals("getClass")) {
        continue;
      }
      Object value = invoke(getter, node);
      if (name.equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": unknown field(s) " + extra.keySet());
        }
        continue;
      }
      if (value instanceof KubernetesResource || value instanceof Collection<?> || value instanceof Map<?, ?>
          || (value != null && value.getClass().getName().startsWith("io.fabric8."))) {
        walk(value, path + "." + decapitalize(name.substring(3)), problems, seen);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }

  private static String decapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
