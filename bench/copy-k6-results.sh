#!/usr/bin/env bash
# Copies the summaries the k6-head-to-head CronJob kept on the k6-results claim into a local folder,
# through a short-lived pod that mounts the claim (restricted profile, like every pod here).
#   bench/copy-k6-results.sh [namespace] [destination]
set -euo pipefail
namespace="${1:-footprint}"
destination="${2:-bench/results/cluster}"
pod="k6-results-copy"
overrides='{"spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":12345,"runAsGroup":12345,"seccompProfile":{"type":"RuntimeDefault"}},
"containers":[{"name":"copy","image":"busybox:1.37","command":["sleep","300"],
"securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}},
"volumeMounts":[{"name":"results","mountPath":"/results","readOnly":true}]}],
"volumes":[{"name":"results","persistentVolumeClaim":{"claimName":"k6-results"}}]}}'
kubectl -n "$namespace" run "$pod" --image=busybox:1.37 --restart=Never --overrides="$overrides" >/dev/null
trap 'kubectl -n "$namespace" delete pod "$pod" --wait=false >/dev/null' EXIT
# In a loop: kubectl wait fails at once, rather than waiting, while the new pod has no conditions yet.
for attempt in $(seq 60); do
  kubectl -n "$namespace" wait --for=condition=Ready "pod/$pod" --timeout=2s >/dev/null 2>&1 && break
  [ "$attempt" -lt 60 ] || { echo "pod $pod not Ready within 120 s" >&2; exit 1; }
  sleep 1
done
mkdir -p "$destination"
kubectl -n "$namespace" cp "$pod:/results" "$destination"
echo "copied to $destination:"
ls -1 "$destination"
