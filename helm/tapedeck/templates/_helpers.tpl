{{/* The chart name, or nameOverride. */}}
{{- define "tapedeck.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object's name: the release name, with the chart name unless it holds it. */}}
{{- define "tapedeck.fullname" -}}
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

{{/* Labels on every object. */}}
{{- define "tapedeck.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "tapedeck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tapedeck
{{- end }}

{{/* Selector labels of one service; call with (dict "root" $ "component" "control"). */}}
{{- define "tapedeck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tapedeck.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Every label of one service's objects; call like tapedeck.selectorLabels. */}}
{{- define "tapedeck.componentLabels" -}}
{{ include "tapedeck.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The HTTP port of each service: REST, health, metrics; never gRPC. */}}
{{- define "tapedeck.port" -}}
{{- get (dict "control" 5770 "proxy" 5771 "storage" 5772 "converter" 5773) . }}
{{- end }}

{{/* The internal gRPC port of each service that serves gRPC (the proxy serves none: empty). */}}
{{- define "tapedeck.grpcPort" -}}
{{- get (dict "control" 5790 "storage" 5792 "converter" 5793) . }}
{{- end }}

{{/* The internal token every gRPC call between the services carries; every service reads it. */}}
{{- define "tapedeck.internalTokenEnv" -}}
- name: TAPEDECK_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "tapedeck.secretName" . }}
      key: internal-token
{{- end }}

{{/* The image of one service; call with (dict "root" $ "component" "control"). */}}
{{- define "tapedeck.image" -}}
{{- $img := .root.Values.image }}
{{- $name := printf "%s/%s-service:%s" $img.repository .component (default .root.Chart.AppVersion $img.tag) }}
{{- if $img.registry }}
{{- printf "%s/%s" (trimSuffix "/" $img.registry) $name }}
{{- else }}
{{- $name }}
{{- end }}
{{- end }}

{{/* The Secret holding the admin key and the MongoDB connection string. */}}
{{- define "tapedeck.secretName" -}}
{{- default (include "tapedeck.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "tapedeck.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tapedeck.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Kafka brokers: the chart's Kafka when enabled, else externalKafka. */}}
{{- define "tapedeck.kafkaBootstrap" -}}
{{- if .Values.kafka.enabled }}
{{- printf "%s-kafka:9092" .Release.Name }}
{{- else }}
{{- .Values.externalKafka.bootstrapServers }}
{{- end }}
{{- end }}

{{/* MongoDB settings for control and storage: connection string and, for the chart's MongoDB, its root credentials. */}}
{{- define "tapedeck.mongodbEnv" -}}
{{- if .Values.mongodb.enabled }}
- name: QUARKUS_MONGODB_CONNECTION_STRING
  value: {{ printf "mongodb://%s-mongodb:27017" .Release.Name | quote }}
- name: QUARKUS_MONGODB_CREDENTIALS_AUTH_SOURCE
  value: admin
- name: QUARKUS_MONGODB_CREDENTIALS_USERNAME
  value: {{ .Values.mongodb.auth.rootUser | quote }}
- name: QUARKUS_MONGODB_CREDENTIALS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-mongodb" .Release.Name }}
      key: mongodb-root-password
{{- else }}
- name: QUARKUS_MONGODB_CONNECTION_STRING
  valueFrom:
    secretKeyRef:
      name: {{ include "tapedeck.secretName" . }}
      key: mongodb-connection-string
{{- end }}
{{- end }}

{{/* Pod annotations: Prometheus scraping, the config checksum (a changed ConfigMap rolls the pods), the service's own. */}}
{{- define "tapedeck.podAnnotations" -}}
{{- $values := index .root.Values .component }}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/path: /q/metrics
prometheus.io/port: {{ include "tapedeck.port" .component | quote }}
{{- end }}
checksum/config: {{ include (print .root.Template.BasePath "/configmap-" .component ".yaml") .root | sha256sum }}
{{- with $values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The pod-level settings every service shares. */}}
{{- define "tapedeck.podCommon" -}}
serviceAccountName: {{ include "tapedeck.serviceAccountName" .root }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $values := index .root.Values .component }}
{{- with $values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The container-level settings every service shares: image, port, probes, security, resources, config. */}}
{{- define "tapedeck.containerCommon" -}}
{{- $values := index .root.Values .component }}
{{- $probes := .root.Values.probes }}
image: {{ include "tapedeck.image" . | quote }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
ports:
  - name: http
    containerPort: {{ include "tapedeck.port" .component }}
    protocol: TCP
  {{- with include "tapedeck.grpcPort" .component }}
  - name: grpc
    containerPort: {{ . }}
    protocol: TCP
  {{- end }}
envFrom:
  - configMapRef:
      name: {{ include "tapedeck.fullname" .root }}-{{ .component }}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
  periodSeconds: {{ $probes.startup.periodSeconds }}
  timeoutSeconds: {{ $probes.startup.timeoutSeconds }}
  failureThreshold: {{ $probes.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  initialDelaySeconds: {{ $probes.liveness.initialDelaySeconds }}
  periodSeconds: {{ $probes.liveness.periodSeconds }}
  timeoutSeconds: {{ $probes.liveness.timeoutSeconds }}
  failureThreshold: {{ $probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  initialDelaySeconds: {{ $probes.readiness.initialDelaySeconds }}
  periodSeconds: {{ $probes.readiness.periodSeconds }}
  timeoutSeconds: {{ $probes.readiness.timeoutSeconds }}
  failureThreshold: {{ $probes.readiness.failureThreshold }}
securityContext:
  {{- toYaml .root.Values.securityContext | nindent 2 }}
resources:
  {{- toYaml $values.resources | nindent 2 }}
{{- end }}

{{/* The writable volumes every pod has (the root filesystem is read-only). */}}
{{- define "tapedeck.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: data
  emptyDir:
    sizeLimit: {{ .Values.dataSizeLimit }}
{{- end }}

{{- define "tapedeck.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /var/lib/tapedeck
{{- end }}

{{/* The session CA, for control only: proxies receive it over authenticated gRPC, never the files. */}}
{{- define "tapedeck.caVolume" -}}
{{- if .Values.ca.existingSecret }}
- name: ca
  secret:
    secretName: {{ .Values.ca.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "tapedeck.caVolumeMount" -}}
{{- if .Values.ca.existingSecret }}
- name: ca
  mountPath: /etc/tapedeck/ca
  readOnly: true
{{- end }}
{{- end }}

{{/*
Adds a service's extra env (values <component>.env) to its ConfigMap data, refusing names the
chart sets itself: those follow from other values, and a second value would silently win or lose.
Call with (dict "data" $data "env" .Values.control.env "component" "control").
*/}}
{{- define "tapedeck.addEnv" -}}
{{- range $name, $value := .env }}
{{- if hasKey $.data $name }}
{{- fail (printf "%s.env.%s: the chart sets %s itself; use the value it comes from (docs/deploy.md, Configure)" $.component $name $name) }}
{{- end }}
{{- $_ := set $.data $name (toString $value) }}
{{- end }}
{{- end }}
