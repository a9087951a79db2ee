package io.logpipeline.operator.runtime;

import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's jar is shaded, and log4j-core and log4j-layout-template-json each bring a
 * {@code META-INF/.../Log4j2Plugins.dat}, the index log4j2 finds its plugins by: the shade plugin
 * keeps one of them, and without log4j-core's the jar has no XML configuration, no console
 * appender, no pattern layout, and logs nothing but errors. The operator therefore carries the
 * union of both in src/main/resources (its own resources win in the shaded jar). This test fails
 * when a log4j upgrade changes the plugins; regenerate the file with
 * {@code mvn -pl operator test -Dtest='io/logpipeline/operator/runtime/Log4jPluginCacheTest'
 * -Dlog4j.plugins.regenerate=true}.
 */
class Log4jPluginCacheTest {

  static final String CACHE = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";
  static final Path OURS = Path.of("src/main/resources").resolve(CACHE);

  /** The plugin caches of log4j-core and log4j-layout-template-json, merged. */
  static PluginCache merged() throws IOException {
    PluginCache cache = new PluginCache();
    cache.loadCacheFiles(Collections.enumeration(List.of(
        cacheIn(LoggerContext.class), cacheIn(JsonTemplateLayout.class))));
    return cache;
  }

  static URL cacheIn(Class<?> inJar) throws IOException {
    URL jar = inJar.getProtectionDomain().getCodeSource().getLocation();
    return new URL("jar:" + jar + "!/" + CACHE);
  }

  static Map<String, String> entries(PluginCache cache) {
    Map<String, String> entries = new TreeMap<>();
    cache.getAllCategories().forEach((category, plugins) -> plugins.forEach((key, entry) ->
        entries.put(category + "/" + key, describe(entry))));
    return entries;
  }

  static String describe(PluginEntry e) {
    return e.getClassName() + " name=" + e.getName() + " printable=" + e.isPrintable() + " defer=" + e.isDefer();
  }

  @Test
  void operatorsPluginCacheIsTheUnionOfLog4jCoresAndTheJsonLayouts() throws IOException {
    if (Boolean.getBoolean("log4j.plugins.regenerate")) {
      Files.createDirectories(OURS.getParent());
      try (OutputStream out = Files.newOutputStream(OURS)) {
        merged().writeCache(out);
      }
    }
    PluginCache ours = new PluginCache();
    ours.loadCacheFiles(Collections.enumeration(List.of(OURS.toUri().toURL())));
    Map<String, String> expected = entries(merged());
    assertThat(expected).containsKeys("core/console", "core/patternlayout", "core/jsontemplatelayout",
        "configurationfactory/xmlconfigurationfactory");
    assertThat(entries(ours)).isEqualTo(expected);
  }
}
