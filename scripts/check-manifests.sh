#!/usr/bin/env bash
# Lints every rendering of kustomize/ with kube-score (security and reliability), on top of the strict
# schema, Pod Security "restricted" and cross-reference tests in deploy-tests/ (run by mvn verify).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$FOOTPRINT_ROOT"
command -v kubectl >/dev/null || die "kubectl (with its built-in kustomize) is needed to render the manifests"
kube_score="$(go_tool kube-score github.com/zegl/kube-score/cmd/kube-score@v1.20.0)"

# Checks left out, each for a reason:
ignored=(
  # Images are pinned to a version tag and never rebuilt under the same tag, so IfNotPresent is right;
  # Always would also break minikube, whose images Jib builds into its Docker and no registry holds.
  --ignore-test container-image-pull-policy
  # Pods are spread over nodes and zones by topologySpreadConstraints (production overlay), which
  # kube-score does not count as anti-affinity.
  --ignore-test deployment-has-host-podantiaffinity
)

# And in the minikube overlay only, by design: one replica is enough on a laptop, and NodePort is how
# minikube reaches a service without an ingress.
minikube_ignored=(--ignore-test horizontalpodautoscaler-replicas --ignore-test service-type)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Each component is checked on top of the base, through a throw-away overlay.
for component in kustomize/components/*; do
  overlay="$work/with-$(basename "$component")"
  mkdir -p "$overlay"
  printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - %s\ncomponents:\n  - %s\n' \
    "$(realpath --relative-to="$overlay" kustomize/base)" "$(realpath --relative-to="$overlay" "$component")" > "$overlay/kustomization.yaml"
done
renderings=(kustomize/base kustomize/overlays/* "$work"/with-*)
for dir in "${renderings[@]}"; do
  out="$work/$(basename "$dir").yaml"
  kubectl kustomize "$dir" > "$out"
  extra=()
  [ "$dir" = kustomize/overlays/minikube ] && extra=("${minikube_ignored[@]}")
  if ! "$kube_score" score "$out" --output-format ci --exit-one-on-warning "${ignored[@]}" "${extra[@]}" > "$work/report" 2>&1; then
    grep -v -E '^\[(OK|SKIPPED)\]' "$work/report" >&2
    die "kube-score: $dir has findings"
  fi
  log "kube-score: ${dir#"$work"/} clean ($(grep -c '^\[OK\]' "$work/report") checks passed)"
done
