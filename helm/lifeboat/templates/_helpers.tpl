{{/* Labels on every object of the chart. */}}
{{- define "lifeboat.labels" -}}
app.kubernetes.io/name: lifeboat
app.kubernetes.io/part-of: lifeboat
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* Labels on the operator's objects; the first two select its pods. */}}
{{- define "lifeboat.operatorLabels" -}}
app.kubernetes.io/component: operator
{{ include "lifeboat.labels" . }}
{{- end }}

{{- define "lifeboat.selectorLabels" -}}
app.kubernetes.io/name: lifeboat
app.kubernetes.io/component: operator
{{- end }}

{{/* The image: by digest when one is given, else by tag (default: the chart's appVersion). */}}
{{- define "lifeboat.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* The operator's rules: exactly its calls (manifests/base/operator-rbac.yaml says why). */}}
{{- define "lifeboat.operatorRules" -}}
- apiGroups: [lifeboat.dev]
  resources: [drplans]
  verbs: [get, list, watch]
- apiGroups: [lifeboat.dev]
  resources: [drplans/status]
  verbs: [patch]
- apiGroups: [lifeboat.dev]
  resources: [drexecutions]
  verbs: [get, list, watch, patch]
- apiGroups: [lifeboat.dev]
  resources: [drexecutions/status]
  verbs: [patch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* admissionregistration.k8s.io/v1 from Kubernetes 1.30, v1beta1 before; or as set. */}}
{{- define "lifeboat.admissionApiVersion" -}}
{{- if .Values.admissionPolicy.apiVersion -}}
{{ .Values.admissionPolicy.apiVersion }}
{{- else if .Capabilities.APIVersions.Has "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy" -}}
admissionregistration.k8s.io/v1
{{- else -}}
admissionregistration.k8s.io/v1beta1
{{- end -}}
{{- end }}
