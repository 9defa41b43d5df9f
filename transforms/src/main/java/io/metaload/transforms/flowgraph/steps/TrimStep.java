package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code trim: { columns: [email, name], case: lower, normalize: NFC, emptyAsNull: true }}: strips
 * leading and trailing white space (Unicode's), and optionally folds case, normalises to a Unicode
 * form and turns empty strings into NULL.
 */
public final class TrimStep extends ColumnValuesStep {
  private static final long serialVersionUID = 1L;

  private final String letterCase;
  private final Normalizer.Form form;
  private final boolean emptyAsNull;

  TrimStep(List<String> columns, String letterCase, Normalizer.Form form, boolean emptyAsNull) {
    super(columns, false);
    this.letterCase = letterCase;
    this.form = form;
    this.emptyAsNull = emptyAsNull;
  }

  @Override
  Column output(Column input) {
    return text(input, "");
  }

  @Override
  UnaryOperator<Object> values() {
    return v -> clean((String) v);
  }

  private String clean(String s) {
    String v = s.strip();
    if (form != null) {
      v = Normalizer.normalize(v, form);
    }
    if ("lower".equals(letterCase)) {
      v = v.toLowerCase(Locale.ROOT);
    } else if ("upper".equals(letterCase)) {
      v = v.toUpperCase(Locale.ROOT);
    }
    return emptyAsNull && v.isEmpty() ? null : v;
  }

  /** Registers {@code trim}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "trim";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      if (arguments.isList() || arguments.isText()) {
        return new TrimStep(arguments.strings(null), null, null, false);
      }
      arguments.allowOnly("columns", "case", "normalize", "emptyAsNull");
      String letterCase = arguments.string("case", null);
      if (letterCase != null && !letterCase.equals("lower") && !letterCase.equals("upper")) {
        throw new StepConfigException(
            "field 'case' must be 'lower' or 'upper', was '" + letterCase + "'");
      }
      Normalizer.Form form = null;
      if (arguments.has("normalize")) {
        try {
          form = Normalizer.Form.valueOf(arguments.string("normalize").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new StepConfigException(
              "field 'normalize' must be NFC, NFD, NFKC or NFKD, was '"
                  + arguments.string("normalize")
                  + "'");
        }
      }
      return new TrimStep(
          arguments.strings("columns"), letterCase, form, arguments.bool("emptyAsNull", false));
    }
  }
}
