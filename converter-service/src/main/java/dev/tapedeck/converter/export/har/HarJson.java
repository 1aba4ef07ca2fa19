package dev.tapedeck.converter.export.har;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import de.sstoehr.harreader.model.HarPostData;
import de.sstoehr.harreader.model.HarPostDataParam;
import de.sstoehr.harreader.model.HarRequest;
import java.util.List;

/**
 * The Jackson mapper that writes the har-reader model as HAR 1.2.
 *
 * <p>The model's classes already leave out null fields; two of its getters, though, create empty
 * values on read ({@code request.postData} and {@code postData.params}), which would put an invalid
 * {@code "postData": {"params": []}} on every request without a body. Mix-ins leave those out.
 */
final class HarJson {

  private HarJson() {}

  /** A new mapper for the HAR model. */
  static ObjectMapper newMapper() {
    return JsonMapper.builder()
        // The document writer flushes after each entry and owns the stream it writes to.
        .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .addMixIn(HarRequest.class, RequestMixIn.class)
        .addMixIn(HarPostData.class, PostDataMixIn.class)
        .build();
  }

  abstract static class RequestMixIn {
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = AbsentPostData.class)
    abstract HarPostData getPostData();
  }

  abstract static class PostDataMixIn {
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    abstract List<HarPostDataParam> getParams();
  }

  /** Matches (so excludes) the post data the getter made up: the mapper always sets a type. */
  static final class AbsentPostData {
    @Override
    public boolean equals(Object value) {
      return value == null || (value instanceof HarPostData p && p.getMimeType() == null);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }
}
