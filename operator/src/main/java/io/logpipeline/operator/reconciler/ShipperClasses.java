package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Which ShipperClass runs a LogPipeline's shipper; the operator's rule, which render follows too. */
public final class ShipperClasses {

  private ShipperClasses() {}

  /** spec.shipper.className, or null. */
  public static String className(LogPipeline lp) {
    var shipper = lp.getSpec() == null ? null : lp.getSpec().getShipper();
    String name = shipper == null ? null : shipper.getClassName();
    return name == null || name.isBlank() ? null : name;
  }

  /**
   * The class the pipeline names, else the class annotated as default (the first by name when
   * several are); empty when it names none and there is no default, or names one that does not
   * exist.
   */
  public static Optional<ShipperClass> of(LogPipeline lp, Collection<ShipperClass> classes) {
    String named = className(lp);
    if (named != null) {
      return classes.stream().filter(c -> named.equals(c.getMetadata().getName())).findFirst();
    }
    return classes.stream().filter(ShipperClass::isDefault)
        .min(Comparator.comparing(c -> c.getMetadata().getName()));
  }
}
