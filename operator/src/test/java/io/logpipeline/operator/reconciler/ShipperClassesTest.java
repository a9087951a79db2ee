package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperSpec;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which class runs a pipeline's shipper: the one it names, else the default (first by name). */
class ShipperClassesTest {

  static ShipperClass shipperClass(String name, boolean isDefault) {
    ShipperClass cls = new ShipperClass();
    var meta = new ObjectMetaBuilder().withName(name);
    if (isDefault) {
      meta.addToAnnotations(ShipperClass.DEFAULT_CLASS_ANNOTATION, "true");
    }
    cls.setMetadata(meta.build());
    return cls;
  }

  static LogPipeline naming(String className) {
    return ReconcilerFixtures.logPipeline(spec -> {
      ShipperSpec shipper = new ShipperSpec();
      shipper.setClassName(className);
      spec.setShipper(shipper);
    });
  }

  @Test
  void theClassNameIsNullWhenNotGiven() {
    assertThat(ShipperClasses.className(naming("fast"))).isEqualTo("fast");
    assertThat(ShipperClasses.className(naming(" "))).isNull();
    assertThat(ShipperClasses.className(naming(null))).isNull();
    assertThat(ShipperClasses.className(ReconcilerFixtures.logPipeline(spec -> spec.setShipper(null)))).isNull();
    LogPipeline noSpec = new LogPipeline();
    assertThat(ShipperClasses.className(noSpec)).isNull();
  }

  @Test
  void aNamedClassWinsOverTheDefaultAndAMissingOneIsNoClass() {
    List<ShipperClass> classes = List.of(shipperClass("default", true), shipperClass("fast", false));
    assertThat(ShipperClasses.of(naming("fast"), classes)).containsSame(classes.get(1));
    assertThat(ShipperClasses.of(naming("gone"), classes)).isEmpty();
  }

  @Test
  void withoutANameTheFirstDefaultByNameRuns() {
    List<ShipperClass> classes = List.of(shipperClass("zeta", true), shipperClass("alpha", false),
        shipperClass("beta", true));
    assertThat(ShipperClasses.of(naming(null), classes)).containsSame(classes.get(2));
    assertThat(ShipperClasses.of(naming(null), List.of(shipperClass("alpha", false)))).isEmpty();
  }
}
