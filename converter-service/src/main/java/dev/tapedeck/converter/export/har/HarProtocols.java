package dev.tapedeck.converter.export.har;

import dev.tapedeck.proto.capture.v1.GraphqlInfo;
import dev.tapedeck.proto.capture.v1.McpInfo;
import dev.tapedeck.proto.capture.v1.SoapInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol annotations the proxy recognised, as HAR custom fields with the entries API's field
 * names: {@code _graphql}, {@code _soap} and {@code _mcp}.
 */
final class HarProtocols {

  private HarProtocols() {}

  /** {@code _graphql}: operationName, operationType. */
  static Map<String, Object> graphql(GraphqlInfo info) {
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("operationName", info.getOperationName());
    field.put("operationType", info.getOperationType());
    return field;
  }

  /** {@code _soap}: operation, soapAction, fault, faultString. */
  static Map<String, Object> soap(SoapInfo info) {
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("operation", info.getOperation());
    field.put("soapAction", info.getSoapAction());
    field.put("fault", info.getFault());
    field.put("faultString", info.getFaultString());
    return field;
  }

  /** {@code _mcp}: method, id. */
  static Map<String, Object> mcp(McpInfo info) {
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("method", info.getMethod());
    field.put("id", info.getId());
    return field;
  }
}
