package dev.tapedeck.control.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.session.StartRequest;
import dev.tapedeck.policy.ChaosSettings;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.NetworkPresets;
import dev.tapedeck.policy.NetworkProfile;
import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.PolicyValidator;
import dev.tapedeck.policy.Problem;
import dev.tapedeck.policy.Toxics;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane's side of policy validation: runs the shared {@link PolicyValidator} and
 * turns its problems into the API's field errors, so a start, a saved config and a live
 * modifications update are all checked by the same rules.
 */
public final class PolicyChecks {
  // Strict, like the API's own mapper: an unknown field of a network profile is an error.
  private static final ObjectMapper STRICT = new ObjectMapper();

  private PolicyChecks() {}

  /** The policies of a start request; problems are added to {@code errors}. */
  public static Policies sessionPolicies(StartRequest request, List<FieldError> errors) {
    NetworkProfile profile = networkProfile(request.networkProfile(), errors);
    List<Problem> problems =
        new PolicyValidator()
            .filters(request.filters(), "filters")
            .toxics(request.toxics(), "toxics")
            .modifications(request.modifications(), "modifications")
            .networkProfile(profile, "networkProfile")
            .dnsMap(request.dnsMap(), "dnsMap")
            .problems();
    problems.forEach(p -> errors.add(new FieldError(p.field(), p.message())));
    return new Policies(
        request.filters(), request.toxics(), request.modifications(), profile, request.dnsMap(), null);
  }

  /** The rules of a live update, or a 400 listing every problem. */
  public static Modifications modifications(Modifications m) {
    if (m == null) {
      throw ApiException.validation(
          List.of(new FieldError("modifications", "is required: {\"modifications\": {...}}")));
    }
    throw400(new PolicyValidator().modifications(m, "modifications").problems());
    return m;
  }

  /** The filters of a live update, or a 400 listing every problem. */
  public static Filters filters(Filters f) {
    required(f, "filters");
    throw400(new PolicyValidator().filters(f, "filters").problems());
    return f;
  }

  /** The toxics of a live update (a flat form is read as http), or a 400 listing every problem. */
  public static Toxics toxics(Toxics t) {
    required(t, "toxics");
    throw400(new PolicyValidator().toxics(t, "toxics").problems());
    return t;
  }

  /**
   * The network profile of a live update: a preset name or an object, checked as at start; JSON
   * {@code null} removes the profile (returns null). A 400 when absent or invalid.
   */
  public static NetworkProfile networkProfile(JsonNode node) {
    required(node, "networkProfile");
    List<FieldError> errors = new ArrayList<>();
    NetworkProfile profile = networkProfile(node, errors);
    if (profile != null) {
      new PolicyValidator().networkProfile(profile, "networkProfile").problems()
          .forEach(p -> errors.add(new FieldError(p.field(), p.message())));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return profile;
  }

  /** The switch of a live record update, or a 400 when absent. */
  public static boolean record(Boolean record) {
    required(record, "record");
    return record;
  }

  private static void required(Object value, String field) {
    if (value == null) {
      throw ApiException.validation(
          List.of(new FieldError(field, "is required: {\"" + field + "\": ...}")));
    }
  }

  /** Global chaos settings, or a 400 listing every problem. */
  public static ChaosSettings chaos(ChaosSettings c) {
    if (c == null) {
      throw ApiException.validation(List.of(new FieldError("body", "a JSON object is required")));
    }
    throw400(new PolicyValidator().chaos(c, "").problems().stream()
        .map(p -> new Problem(p.field().substring(1), p.message()))
        .toList());
    return c;
  }

  private static void throw400(List<Problem> problems) {
    if (!problems.isEmpty()) {
      List<FieldError> errors = new ArrayList<>();
      problems.forEach(p -> errors.add(new FieldError(p.field(), p.message())));
      throw ApiException.validation(errors);
    }
  }

  /** A preset name or a custom profile object; null when absent. */
  static NetworkProfile networkProfile(JsonNode node, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      NetworkProfile preset = NetworkPresets.named(node.asText()).orElse(null);
      if (preset == null) {
        errors.add(
            new FieldError(
                "networkProfile",
                "must be one of " + String.join(", ", NetworkPresets.names()) + ", or an object"));
      }
      return preset;
    }
    if (!node.isObject()) {
      errors.add(new FieldError("networkProfile", "must be a preset name or an object"));
      return null;
    }
    try {
      NetworkProfile custom = STRICT.treeToValue(node, NetworkProfile.class);
      return new NetworkProfile(
          null,
          custom.latencyMs(),
          custom.jitterMs(),
          custom.downloadKBps(),
          custom.uploadKBps(),
          custom.loss(),
          custom.offline());
    } catch (UnrecognizedPropertyException e) {
      errors.add(new FieldError("networkProfile." + e.getPropertyName(), "is not a known field"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      errors.add(new FieldError("networkProfile", "is not a valid profile: " + e.getMessage()));
    }
    return null;
  }
}
