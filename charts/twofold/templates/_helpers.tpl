{{/* Chart name, overridable. */}}
{{- define "twofold.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Full name prefixing every object: the release name if it already contains the chart name, else
"<release>-<chart>". Kept to 45 characters so that suffixes such as "-webhook-metrics" stay within 63.
*/}}
{{- define "twofold.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "twofold.operator.fullname" -}}{{ include "twofold.fullname" . }}-operator{{- end -}}
{{- define "twofold.webhook.fullname" -}}{{ include "twofold.fullname" . }}-webhook{{- end -}}

{{/* The Service the API server calls (admission through the ValidatingWebhookConfiguration). */}}
{{- define "twofold.webhook.serviceName" -}}{{ include "twofold.fullname" . }}-webhook{{- end -}}

{{/* The ValidatingWebhookConfiguration the operator owns. */}}
{{- define "twofold.webhookConfigurationName" -}}
{{- default (printf "%s-mfa" (include "twofold.fullname" .)) .Values.operator.webhookConfigurationName -}}
{{- end -}}

{{/* Names fixed by the components: the operator writes these Secrets and this Lease in its namespace. */}}
{{- define "twofold.caSecretName" -}}twofold-webhook-ca{{- end -}}
{{- define "twofold.tlsSecretName" -}}twofold-webhook-tls{{- end -}}
{{- define "twofold.leaseName" -}}twofold-operator{{- end -}}

{{- define "twofold.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "twofold.labels" -}}
helm.sh/chart: {{ include "twofold.chart" . }}
{{ include "twofold.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: twofold
{{- end -}}

{{- define "twofold.selectorLabels" -}}
app.kubernetes.io/name: {{ include "twofold.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels and selector labels of one component: include with (dict "ctx" $ "component" "operator"). */}}
{{- define "twofold.componentLabels" -}}
{{ include "twofold.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "twofold.componentSelectorLabels" -}}
{{ include "twofold.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "twofold.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
topologySpreadConstraints of one component: include with (dict "ctx" $ "component" "webhook" "spread" .Values.webhook.topologySpread).
matchLabelKeys keeps a rolling update's new pods from being counted against the old ReplicaSet's.
*/}}
{{- define "twofold.topologySpread" -}}
{{- $constraints := list -}}
{{- range $key, $topology := dict "nodes" "kubernetes.io/hostname" "zones" "topology.kubernetes.io/zone" -}}
{{- $when := get $.spread $key -}}
{{- if $when -}}
{{- if not (has $when (list "DoNotSchedule" "ScheduleAnyway")) -}}
{{- fail (printf "%s.topologySpread.%s must be DoNotSchedule, ScheduleAnyway or empty, got %q" $.component $key $when) -}}
{{- end -}}
{{- $constraints = append $constraints (dict "key" $topology "when" $when) -}}
{{- end -}}
{{- end -}}
{{- if $constraints -}}
topologySpreadConstraints:
{{- range $constraints }}
  - maxSkew: 1
    topologyKey: {{ .key }}
    whenUnsatisfiable: {{ .when }}
    labelSelector:
      matchLabels:
        {{- include "twofold.componentSelectorLabels" (dict "ctx" $.ctx "component" $.component) | nindent 8 }}
    matchLabelKeys:
      - pod-template-hash
{{- end }}
{{- end }}
{{- end -}}

{{/* The writable /tmp of both components (the root file system is read-only). */}}
{{- define "twofold.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}
