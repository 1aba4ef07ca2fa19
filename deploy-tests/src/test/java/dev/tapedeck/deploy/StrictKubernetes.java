package dev.tapedeck.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses rendered manifests into the fabric8 Kubernetes model, strictly: an unknown field (a typo
 * such as {@code readOnlyRootFileSystem}, a field at the wrong level) or a value of the wrong type
 * fails the parse, where the model on its own would keep it aside as an "additional property".
 */
final class StrictKubernetes {
  private static final KubernetesSerialization MODEL = new KubernetesSerialization();
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .setAnnotationIntrospector(new NoCatchAllIntrospector())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private StrictKubernetes() {}

  /** Every object of a multi-document YAML stream, in order; empty documents are skipped. */
  static List<HasMetadata> parseAll(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (document != null && !document.isNull() && !document.isMissingNode() && !document.isEmpty()) {
          objects.add(parse(document));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Not YAML: " + e.getMessage(), e);
    }
    return objects;
  }

  /** One object: its kind and apiVersion pick the model class, then every field must fit it. */
  static HasMetadata parse(JsonNode document) {
    String kind = document.path("kind").asText("");
    String apiVersion = document.path("apiVersion").asText("");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new IllegalArgumentException("An object without kind or apiVersion: " + document);
    }
    KubernetesResource loose = MODEL.convertValue(document, KubernetesResource.class);
    if (!(loose instanceof HasMetadata) || loose instanceof GenericKubernetesResource) {
      throw new IllegalArgumentException("No Kubernetes model class for " + apiVersion + " " + kind);
    }
    try {
      return (HasMetadata) STRICT.treeToValue(document, loose.getClass());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          apiVersion + " " + kind + " " + document.path("metadata").path("name").asText()
              + " is not a valid object: " + e.getMessage(),
          e);
    }
  }

  /**
   * Jackson's view of the model without its catch-alls: no any-setter (additionalProperties) and
   * no ignoreUnknown, so unknown fields are errors.
   */
  private static final class NoCatchAllIntrospector extends JacksonAnnotationIntrospector {
    @Override
    public Boolean hasAnySetter(Annotated a) {
      return Boolean.FALSE;
    }

    @Override
    public JsonIgnoreProperties.Value findPropertyIgnoralByName(
        com.fasterxml.jackson.databind.cfg.MapperConfig<?> config, Annotated a) {
      JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
      return value == null ? null : value.withoutIgnoreUnknown();
    }
  }
}
