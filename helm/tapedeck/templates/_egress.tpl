{{- /* The refused ranges: egress.denyCidrs, the service CIDR and the pod CIDR, comma-joined. */}}
{{- define "tapedeck.egressDenyCidrs" -}}
{{- $cidrs := list }}
{{- range .Values.egress.denyCidrs }}{{ $cidrs = append $cidrs . }}{{ end }}
{{- with .Values.egress.serviceCidr }}{{ $cidrs = append $cidrs . }}{{ end }}
{{- with .Values.egress.podCidr }}{{ $cidrs = append $cidrs . }}{{ end }}
{{- join "," $cidrs }}
{{- end }}

{{- /* The egress settings control and proxy share, as environment variables, added to $data. */}}
{{- define "tapedeck.egressEnv" -}}
{{- $v := .root.Values.egress }}
{{- $_ := set .data "TAPEDECK_EGRESS_DENY_CIDRS" (include "tapedeck.egressDenyCidrs" .root) }}
{{- $_ := set .data "TAPEDECK_EGRESS_ALLOW_CIDRS" (join "," $v.allowCidrs) }}
{{- $_ := set .data "TAPEDECK_EGRESS_DENY_HOSTS" (join "," $v.denyHosts) }}
{{- $_ := set .data "TAPEDECK_EGRESS_ALLOW_HOSTS" (join "," $v.allowHosts) }}
{{- end }}
