#!/bin/sh
# A stand-in for `aws eks get-token`: a kubeconfig exec credential plugin
# (client.authentication.k8s.io/v1) for the Kubernetes client's tests.
#   $1                   the cluster name, echoed into the token
#   PREFIX               token prefix (the kubeconfig's exec env sets it)
#   EXEC_PLUGIN_LOG      a file that gets one line per run, so a test can count runs (caching)
#   EXEC_PLUGIN_EXPIRES  the expirationTimestamp to report (default far in the future)
set -eu
[ -n "${EXEC_PLUGIN_LOG:-}" ] && echo run >> "$EXEC_PLUGIN_LOG"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s-%s","expirationTimestamp":"%s"}}\n' \
  "${PREFIX:-token}" "${1:-cluster}" "${EXEC_PLUGIN_EXPIRES:-2030-01-01T00:00:00Z}"
