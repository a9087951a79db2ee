package io.logpipeline.operator.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.logpipeline.operator.api.LogPipelineSpec;

import java.io.IOException;
import java.util.List;

/**
 * A spec that does not fit the api types (an unknown field, a value of the wrong type): what
 * could be read, what was wrong, and the spec exactly as stored. It is written back as stored,
 * so that a copy of the LogPipeline (JOSDK's clone, a patch computed from two serializations)
 * never turns what could not be read into a default.
 */
@JsonSerialize(using = UnreadableSpec.AsStored.class)
public final class UnreadableSpec extends LogPipelineSpec {

  private JsonNode stored;
  private List<SpecProblem> problems = List.of();

  /** For Jackson, which fills in what it can read; {@link SpecReader} sets the rest. */
  public UnreadableSpec() {}

  void setStored(JsonNode stored, List<SpecProblem> problems) {
    this.stored = stored;
    this.problems = List.copyOf(problems);
  }

  /** The spec as it was stored, unchanged. */
  public JsonNode stored() {
    return stored;
  }

  /** What could not be read, each with its field path. */
  public List<SpecProblem> problems() {
    return problems;
  }

  /** Writes the stored spec, not the part of it that could be read. */
  static final class AsStored extends StdSerializer<UnreadableSpec> {
    AsStored() {
      super(UnreadableSpec.class);
    }

    @Override
    public void serialize(UnreadableSpec spec, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(spec.stored);
    }
  }
}
