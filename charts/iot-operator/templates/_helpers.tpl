{{/* The chart name, overridable. */}}
{{- define "iot-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object name: the release name, with the chart name unless the release already contains it. */}}
{{- define "iot-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "iot-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "iot-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "iot-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "iot-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: iotoperator
{{- end }}

{{- define "iot-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "iot-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "iot-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "iot-operator.workloadsImage" -}}
{{- printf "%s:%s" .Values.workloads.image.repository (default .Chart.AppVersion .Values.workloads.image.tag) }}
{{- end }}

{{/* A number of seconds as a .NET TimeSpan (hh:mm:ss), the form the operator's configuration binds. */}}
{{- define "iot-operator.timespan" -}}
{{- $s := int . }}
{{- printf "%02d:%02d:%02d" (div $s 3600) (mod (div $s 60) 60) (mod $s 60) }}
{{- end }}

{{/*
What the operator does inside the namespaces it manages. Each rule is exercised by the operator's requests, or needed
because the workload Roles the operator creates grant it (RBAC escalation prevention: one may only grant what one
holds). tests/Iot.Chart.Tests/RbacTests proves both against the requests the operator really makes.
*/}}
{{- define "iot-operator.namespacedRules" -}}
# The four kinds: informers list and watch them. get: granted to the workloads' Roles (broker, ingest, analytics, notify read them).
- apiGroups: [iotoperator.io]
  resources: [devices, rooms, edgerules, alertroutes]
  verbs: [get, list, watch]
# Rooms: the retention finalizer is added and removed by JSON patch.
- apiGroups: [iotoperator.io]
  resources: [rooms]
  verbs: [patch]
# Status, written by merge patch on the status subresource (devices/status and edgerules/status are also granted to broker and ingest).
- apiGroups: [iotoperator.io]
  resources: [devices/status, rooms/status, edgerules/status, alertroutes/status]
  verbs: [patch]
# Secrets: Device credentials, the device CA, the workloads' internal credentials and API token are created, repaired
# and deleted; AlertRoutes' referenced Secrets are read. get/list/watch are also granted to the broker (credentials).
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, patch, delete]
# Events about the custom resources; repeated Events are counted up by patch.
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
# The workload stack: ServiceAccounts and Services per component, kept as built and pruned when no longer needed.
- apiGroups: [""]
  resources: [serviceaccounts, services]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, patch, delete]
# Each workload's Role and RoleBinding (least access to the custom resources and Secrets it reads).
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [list, watch, create, patch, delete]
{{- end }}
